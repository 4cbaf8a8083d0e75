"""A health check per store, each timed, and what this process can serve without the missing ones.

Each probe goes through its store's circuit breaker, so a store known to be down answers at once
and the three probes (run side by side) take at most about one store timeout together.
"""
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from services.core import cache, db, mongo
from services.core.breaker import breaker

# What users lose while a store is down (the rest keeps working: docs/OPERATIONS.md).
DEGRADED = {
    "postgresql": "bookings, cancellations, agency, finance and IT work are refused (503)",
    "mongodb": "sign-in, sign-up and the activity log are refused (503); signed-in users keep booking; "
               "the public catalog is served from the cache, marked stale",
    "redis": "the catalog is read from MongoDB (slower); sign-in limits are counted per process; "
             "the read model catches up by polling",
}
_PROBES: dict[str, Callable[[], None]] = {"postgresql": db.ping, "mongodb": mongo.ping, "redis": cache.ping}
_pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="health")


def _probe(store: str) -> dict:
    started = time.perf_counter()
    try:
        _PROBES[store]()
        return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    except Exception as exc:  # a store being down is a reported fact, not a crash
        return {"status": "down", "error": type(exc).__name__, "breaker": breaker(store).state}


def check_stores() -> dict:
    """Each store's state; `status` is ok, degraded (a store is down) or down (PostgreSQL is)."""
    futures = {store: _pool.submit(_probe, store) for store in _PROBES}
    stores = {store: f.result() for store, f in futures.items()}
    down = [s for s, report in stores.items() if report["status"] != "ok"]
    overall = "down" if "postgresql" in down else "degraded" if down else "ok"
    return {"status": overall, "stores": stores, "degraded": {s: DEGRADED[s] for s in down}}


def ready(report: dict) -> bool:
    """A web process can serve its role while PostgreSQL answers: bookings need nothing else."""
    return report["stores"]["postgresql"]["status"] == "ok"
