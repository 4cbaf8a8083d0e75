"""System metrics: sampled every minute by the scheduler's leader into SystemMetric documents
(kept METRICS_RETENTION_DAYS by a TTL index) for IT's charts, and served in the Prometheus text
format for an operator's own Prometheus.

A sample: bookings, cancellations and sign-ins in the last minute (counted from the outbox, where
every one of them is an event), HTTP requests and latency percentiles per route group (of the
sampling process), the outbox's backlog, dead deliveries and relay lag, the notification queue,
and each store's latency."""
import time
from datetime import timedelta

from prometheus_client import generate_latest
from prometheus_client.core import GaugeMetricFamily
from pymongo import ASCENDING
from sqlalchemy import text

from services.core import metrics as process_metrics
from services.core.db import read_session
from services.core.health import check_stores
from services.core.models.base import utcnow
from services.core.models.documents import SystemMetric
from services.core.mongo import system_db
from services.kernel.actor import Actor
from services.kernel.errors import ValidationFailed

OPERATORS = ("it", "admin")
PER_MINUTE = {"bookings_per_minute": "booking.confirmed", "cancellations_per_minute": "booking.cancelled",
              "sign_ins_per_minute": "auth.signed_in"}


def _collection():
    return system_db()[SystemMetric.collection]


def sample() -> list[tuple[str, float, dict[str, str]]]:
    """The system's figures now, as (name, value, labels)."""
    out: list[tuple[str, float, dict[str, str]]] = []
    with read_session() as session:
        counts = dict(session.execute(text("""
            select event_type, count(*) from outbox_event
            where created_at > now() - interval '1 minute' and event_type = any(:types) group by event_type"""),
            {"types": list(PER_MINUTE.values())}).all())
        backlog = session.execute(text("""
            select count(*) filter (where d.status = 'pending'), count(*) filter (where d.status = 'dead'),
                   coalesce(extract(epoch from now() - min(e.created_at) filter (where d.status = 'pending')), 0)
            from outbox_delivery d join outbox_event e on e.id = d.event_id where d.status <> 'delivered'""")).one()
        undispatched = session.execute(text("select count(*) from outbox_event where dispatched_at is null")).scalar_one()
    for name, event_type in PER_MINUTE.items():
        out.append((name, float(counts.get(event_type, 0)), {}))
    out += [("outbox_backlog", float(backlog[0] + undispatched), {}), ("outbox_dead", float(backlog[1]), {}),
            ("relay_lag_seconds", float(backlog[2]), {})]
    notifications = system_db().notifications
    out += [("notification_queue_depth", float(notifications.count_documents({"status": {"$in": ["pending", "sending"]}})), {}),
            ("notification_failures", float(notifications.count_documents({"status": "failed"})), {})]
    for store, report in check_stores()["stores"].items():
        out.append(("store_up", 1.0 if report["status"] == "ok" else 0.0, {"store": store}))
        if "latency_ms" in report:
            out.append(("store_latency_ms", float(report["latency_ms"]), {"store": store}))
    for group, figures in process_metrics.last_minute().items():
        out.append(("http_requests_per_minute", figures["requests"], {"group": group}))
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            out.append((f"http_latency_{p}", round(figures[p], 2), {"group": group}))
    return out


def record_sample() -> int:
    """Scheduler job (every minute, on the leader): store one sample; returns how many figures."""
    at = utcnow().replace(microsecond=0)
    docs = [SystemMetric(_id=f"{name}{sorted(labels.items())}@{at.isoformat()}", name=name, value=value, at=at,
                         labels=labels).to_mongo() for name, value, labels in sample()]
    if docs:
        _collection().insert_many(docs, ordered=False)
    return len(docs)


def series(actor: Actor, *, minutes: int = 60) -> dict:
    """The stored samples of the last `minutes`: {"series": {key: [{"at", "value"}]}, "latest": {key: value}}
    where key is the name with its labels (`http_latency_p95_ms{group=booking}`)."""
    actor.require(*OPERATORS)
    if not 1 <= minutes <= 7 * 24 * 60:
        raise ValidationFailed("Minutes must be between 1 and 10080 (7 days).", field="minutes")
    since = utcnow() - timedelta(minutes=minutes)
    out: dict[str, list[dict]] = {}
    for doc in _collection().find({"at": {"$gte": since}}).sort("at", ASCENDING):
        labels = ",".join(f"{k}={v}" for k, v in sorted((doc.get("labels") or {}).items()))
        name = f"{doc['name']}{{{labels}}}" if labels else doc["name"]
        out.setdefault(name, []).append({"at": doc["at"], "value": doc["value"]})
    return {"minutes": minutes, "series": out, "latest": {k: v[-1]["value"] for k, v in out.items()}}


class _SystemCollector:
    """The system's figures, sampled when Prometheus scrapes (at most every CACHE_SECONDS)."""
    CACHE_SECONDS = 5.0

    def __init__(self) -> None:
        self._cached: tuple[float, list] = (0.0, [])

    def describe(self):
        return []  # nothing sampled when registering: only when scraped

    def collect(self):
        taken, figures = self._cached
        if time.monotonic() - taken > self.CACHE_SECONDS:
            figures = sample()
            self._cached = (time.monotonic(), figures)
        families: dict[str, GaugeMetricFamily] = {}
        for name, value, labels in figures:
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(f"astrobookings_{name}", name.replace("_", " "),
                                                            labels=sorted(labels))
            family.add_metric([labels[k] for k in sorted(labels)], value)
        yield from families.values()


_collector = _SystemCollector()
process_metrics.REGISTRY.register(_collector)


def prometheus_text() -> bytes:
    """Everything, in the Prometheus text exposition format."""
    return generate_latest(process_metrics.REGISTRY)
