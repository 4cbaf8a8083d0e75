"""A health check per store, each timed."""
import time
from collections.abc import Callable

from astrobookings import cache, db, mongo


def _probe(check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
        return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    except Exception as exc:  # a store being down is a reported fact, not a crash
        return {"status": "down", "error": type(exc).__name__}


def check_stores() -> dict:
    stores = {"postgresql": _probe(db.ping), "mongodb": _probe(mongo.ping), "redis": _probe(cache.ping)}
    overall = "ok" if all(s["status"] == "ok" for s in stores.values()) else "degraded"
    return {"status": overall, "stores": stores}
