"""The API's documentation pages, Swagger UI at /api/docs and ReDoc at /api/redoc, served with
their scripts and styles from this app (the npm packages `make setup` puts in tools/): they work
on a closed network, and their Content-Security-Policy needs no other origin and no inline script."""
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from services.kernel.errors import NotFound

router = APIRouter(include_in_schema=False)

_NODE_MODULES = Path(__file__).resolve().parents[2] / "tools" / "node_modules"
_OURS = Path(__file__).resolve().parent / "docs_assets"
# Only these files are served (never a path the caller makes up).
ASSETS = {
    "swagger-ui.css": _NODE_MODULES / "swagger-ui-dist" / "swagger-ui.css",
    "swagger-ui-bundle.js": _NODE_MODULES / "swagger-ui-dist" / "swagger-ui-bundle.js",
    "redoc.standalone.js": _NODE_MODULES / "redoc" / "bundles" / "redoc.standalone.js",
    "swagger-init.js": _OURS / "swagger-init.js",
}
ASSET_PREFIX = "/api/docs/assets/"
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

_SWAGGER = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AstroBookings API · Swagger UI</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{ASSET_PREFIX}swagger-ui.css"></head>
<body><main id="swagger-ui"></main>
<script src="{ASSET_PREFIX}swagger-ui-bundle.js"></script><script src="{ASSET_PREFIX}swagger-init.js"></script>
</body></html>"""

_REDOC = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AstroBookings API · ReDoc</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body><redoc spec-url="/api/openapi.json" hide-download-button="false"></redoc>
<script src="{ASSET_PREFIX}redoc.standalone.js"></script>
</body></html>"""


@router.get("/api/docs", response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    return HTMLResponse(_SWAGGER)


@router.get("/api/redoc", response_class=HTMLResponse)
def redoc() -> HTMLResponse:
    return HTMLResponse(_REDOC)


@router.get(ASSET_PREFIX + "{name}")
def asset(name: str) -> FileResponse:
    path = ASSETS.get(name)
    if path is None or not path.is_file():
        # Missing from tools/: `make setup` installs the npm packages.
        raise NotFound("No such documentation asset.")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=86400"})
