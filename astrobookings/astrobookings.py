"""The Reflex app: pages, the REST API in the same backend, and the in-process scheduler."""
import asyncio
import time
from contextlib import asynccontextmanager

import reflex as rx

import pages.admin.index  # noqa: F401  (each page module registers itself with @rx.page)
import pages.agency.index  # noqa: F401
import pages.agency.launch  # noqa: F401
import pages.agency.launches  # noqa: F401
import pages.agency.new_launch  # noqa: F401
import pages.agency.profile  # noqa: F401
import pages.agency.rockets  # noqa: F401
import pages.finance.index  # noqa: F401
import pages.it.index  # noqa: F401
import pages.public.forbidden  # noqa: F401
import pages.public.index  # noqa: F401
import pages.public.launch  # noqa: F401
import pages.public.launches  # noqa: F401
import pages.public.login  # noqa: F401
import pages.public.register  # noqa: F401
import pages.traveler.book  # noqa: F401
import pages.traveler.index  # noqa: F401
import pages.traveler.profile  # noqa: F401
from astrobookings import logs, mongo
from astrobookings.api import create_api
from astrobookings.settings import get_settings

_log = logs.get_logger("app")


@asynccontextmanager
async def platform_lifespan():
    """Start-up: JSON logs, Mongo indexes, and the scheduler unless this process is web-only."""
    started = time.perf_counter()
    settings = get_settings()
    settings.check_production()
    logs.configure(settings.log_level)
    await asyncio.to_thread(mongo.ensure_indexes)
    scheduler = None
    if settings.process_role in ("all", "worker"):
        from astrobookings.jobs import runtime
        scheduler = await asyncio.to_thread(runtime.start)
    _log.info("started", extra={"fields": {"role": settings.process_role, "startup_ms": round((time.perf_counter() - started) * 1000)}})
    try:
        yield
    finally:
        stopping = time.perf_counter()
        if scheduler is not None:
            await asyncio.to_thread(scheduler.stop)
        _log.info("stopped", extra={"fields": {"shutdown_ms": round((time.perf_counter() - stopping) * 1000)}})


app = rx.App(api_transformer=create_api())
app.register_lifespan_task(platform_lifespan)
