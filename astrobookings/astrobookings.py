"""The Reflex app: pages, the REST API in the same backend, and the in-process scheduler."""
import asyncio
import time
from contextlib import asynccontextmanager

import reflex as rx
from reflex_base.registry import RegistrationContext

import pages.admin.index  # noqa: F401  (each page module registers itself with @rx.page)
import pages.agency.index  # noqa: F401
import pages.agency.invoice  # noqa: F401
import pages.agency.invoices  # noqa: F401
import pages.agency.launch  # noqa: F401
import pages.agency.launches  # noqa: F401
import pages.agency.new_launch  # noqa: F401
import pages.agency.profile  # noqa: F401
import pages.agency.rockets  # noqa: F401
import pages.finance.index  # noqa: F401
import pages.finance.invoice  # noqa: F401
import pages.finance.invoices  # noqa: F401
import pages.finance.launches  # noqa: F401
import pages.finance.reports  # noqa: F401
import pages.inbox  # noqa: F401
import pages.it.index  # noqa: F401
import pages.it.logs  # noqa: F401
import pages.it.metrics  # noqa: F401
import pages.it.notifications  # noqa: F401
import pages.it.sync  # noqa: F401
import pages.public.forbidden  # noqa: F401
import pages.public.index  # noqa: F401
import pages.public.launch  # noqa: F401
import pages.public.launches  # noqa: F401
import pages.public.login  # noqa: F401
import pages.public.not_found  # noqa: F401
import pages.public.register  # noqa: F401
import pages.traveler.book  # noqa: F401
import pages.traveler.index  # noqa: F401
import pages.traveler.profile  # noqa: F401
import pages.traveler.receipt  # noqa: F401
from services.core import logs, mongo
from astrobookings.api import create_api
from services.core.settings import get_settings
from state.session import SessionGuard

_log = logs.get_logger("app")


@asynccontextmanager
async def platform_lifespan():
    """Start-up: JSON logs, Mongo indexes, and the scheduler unless this process is web-only."""
    started = time.perf_counter()
    settings = get_settings()
    settings.check_secrets()
    logs.configure(settings.log_level)
    await asyncio.to_thread(mongo.ensure_indexes)
    scheduler = None
    if settings.process_role in ("all", "worker"):
        from astrobookings.jobs import runtime
        scheduler = await asyncio.to_thread(runtime.start)
    from services.core import heartbeat
    beating = heartbeat.start(settings.process_role, settings.build_version,
                              lambda: bool(scheduler and scheduler.is_leader))
    _log.info("started", extra={"fields": {"role": settings.process_role, "startup_ms": round((time.perf_counter() - started) * 1000)}})
    try:
        yield
    finally:
        stopping = time.perf_counter()
        beating.set()
        if scheduler is not None:
            await asyncio.to_thread(scheduler.stop)
        _log.info("stopped", extra={"fields": {"shutdown_ms": round((time.perf_counter() - stopping) * 1000)}})


def register_pages_once(target: rx.App) -> None:
    """Adds the pages that @rx.page recorded, then forgets the records. Reflex adds recorded pages
    at every compile, and a production worker forked from the process that built the frontend
    compiles again: each page was registered twice (a "redefined" warning per page)."""
    recorded = RegistrationContext.ensure_context().decorated_pages
    for render, kwargs in recorded:
        target.add_page(render, **kwargs)
    recorded.clear()


def backend_error(exception: Exception) -> None:
    """Logs an unexpected handler error. Reflex's default answer is a toast sent as a script to
    evaluate, which the Content-Security-Policy (no eval) refuses: nothing is sent instead."""
    _log.error("unhandled error in a page event", exc_info=exception)
    return None


# Logo, favicon, social preview and the site-wide stylesheet live in assets/ (served at the site's root).
app = rx.App(api_transformer=create_api(), backend_exception_handler=backend_error, stylesheets=["/a11y.css"],
             head_components=[
    rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
    rx.el.meta(property="og:image", content="/og-image.png"),
    rx.el.meta(property="og:site_name", content="AstroBookings"),
])
app.register_lifespan_task(platform_lifespan)
register_pages_once(app)
# Before a (re)connecting tab gets its state: portal data of anyone but its current user is reset.
app.add_middleware(SessionGuard())
