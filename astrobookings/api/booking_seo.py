"""Pages crawlers can read without JavaScript: /launches, /launches/<slug>, /sitemap.xml.

The REST app sits in front of Reflex's frontend mount (reflex.utils.exec.get_frontend_mount serves
.web/build/client), so these routes answer first. They return the very HTML shell the mount would
have served (the prerendered /launches page, or the SPA fallback for dynamic routes) with a real
title, description, JSON-LD and the content rendered on the server; browsers then boot the app.
"""
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from services.core.settings import get_settings
from services.booking import catalog, catalog_search
from services.booking import seo
from services.kernel.errors import NotFound, ValidationFailed

router = APIRouter(include_in_schema=False)
_shells: dict[Path, tuple[float, str]] = {}
_HTML_HEADERS = {"Cache-Control": "public, max-age=10", "Vary": "Accept-Encoding"}


def _static_dir() -> Path:
    from reflex.utils.prerequisites import get_web_dir

    return get_web_dir() / "build" / "client"


def _shell(*names: str) -> str:
    """The first build file that exists, re-read only when a new build replaces it."""
    static = _static_dir()
    for name in names:
        path = static / name
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        cached = _shells.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, path.read_text(encoding="utf-8"))
            _shells[path] = cached
        return cached[1]
    return seo.standalone_shell()


def _base_url(_request: Request) -> str:
    # Never from the request's Host header: links crawlers store must point at our site.
    return get_settings().public_base_url


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home_page(request: Request):
    """The landing page with the next launches rendered on the server (the prerendered shell was
    built without data and would tell crawlers that nothing is open)."""
    base = _base_url(request)
    shell = _shell("index.html", "__spa-fallback.html")
    cards = catalog_search.upcoming(6)
    head = seo.head_tags(seo.HOME_TITLE, seo.HOME_DESCRIPTION, base.rstrip("/") + "/", seo.list_jsonld(cards, base))
    return HTMLResponse(seo.inject(shell, head, seo.home_body(cards)), headers=_HTML_HEADERS)


@router.api_route("/launches", methods=["GET", "HEAD"], response_class=HTMLResponse)
@router.api_route("/launches/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def launches_page(request: Request):
    params = request.query_params
    filters = {k: params.get(k) for k in ("destination", "range", "from", "to", "max_price_cents",
                                           "seats_needed", "sort")}
    base = _base_url(request)
    shell = _shell("launches.html", "launches/index.html", "__spa-fallback.html")
    try:
        query = catalog_search.parse_query({**{k: v for k, v in filters.items() if v}, "page": params.get("page") or 1})
    except ValidationFailed as exc:
        head = seo.head_tags(f"Launches · {seo.SITE}", exc.message, f"{base}/launches", None)
        return HTMLResponse(seo.inject(shell, head, f"<main><p>{exc.message}</p></main>"), status_code=422)
    cards, total = catalog_search.search(query)
    title = f"Launches with free seats · {seo.SITE}"
    description = ("Book a seat on a commercial space flight: " +
                   "; ".join(f"{c.name} on {c.date:%-d %b %Y}" for c in cards[:5]) + ".") if cards else \
        "Book a seat on a commercial space flight: suborbital hops, orbital stays, the Moon and Mars."
    head = seo.head_tags(title, description, f"{base}/launches", seo.list_jsonld(cards, base))
    body = seo.list_body(cards, total, query.page, query.per_page, filters)
    return HTMLResponse(seo.inject(shell, head, body), headers=_HTML_HEADERS)


@router.api_route("/launches/{slug}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def launch_page(slug: str, request: Request):
    base = _base_url(request)
    shell = _shell("__spa-fallback.html")
    try:
        card = catalog.get_launch(slug)
    except NotFound:
        head = seo.head_tags(f"Launch not found · {seo.SITE}", "This launch does not exist.", f"{base}/launches", None)
        return HTMLResponse(seo.inject(shell, head, seo.not_found_body()), status_code=404)
    head = seo.head_tags(seo.launch_title(card), seo.launch_description(card), base.rstrip("/") + card.url,
                         seo.event_jsonld(card, base))
    return HTMLResponse(seo.inject(shell, head, seo.launch_body(card)), headers=_HTML_HEADERS)


@router.get("/sitemap.xml")
def sitemap(request: Request):
    xml = seo.sitemap_xml(catalog.sitemap_entries(), _base_url(request))
    return Response(xml, media_type="application/xml", headers={"Cache-Control": "public, max-age=300"})


@router.get("/robots.txt")
def robots(request: Request):
    return PlainTextResponse(seo.robots_txt(_base_url(request)))
