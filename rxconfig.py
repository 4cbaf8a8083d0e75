"""Reflex configuration. Everything else comes from the environment (services/core/settings.py)."""
import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from services.core.settings import Settings

port = int(os.environ.get("PORT", "3000"))

config = rx.Config(
    app_name="astrobookings",
    # Ports come from the command line (`--frontend-port`, `--backend-port`); PORT sets the URL
    # the built frontend talks to, since production serves both on one port.
    api_url=os.environ.get("REFLEX_API_URL", f"http://localhost:{port}"),
    deploy_url=os.environ.get("PUBLIC_BASE_URL", f"http://localhost:{port}"),
    # With Redis, Reflex keeps its state there so that any worker can serve any event.
    redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
    # CORS and the websocket's Origin check: PUBLIC_BASE_URL's origin and CORS_EXTRA_ORIGINS only,
    # never "*" (which, with credentials, echoed any site's origin back).
    cors_allowed_origins=Settings().allowed_origins,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # /sitemap.xml is served live from the read model by the app itself.
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
