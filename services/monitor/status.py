"""The system's status for IT: each store's status and latency, the scheduler's leader and every
live process (from their heartbeats; silent for GONE_AFTER seconds = gone), the servers' restarts by
their supervisor in the last day, the notification
service, the last reconciliation and the build. The public health check says only ok/degraded."""
from datetime import timedelta

from pymongo import DESCENDING

from services.core import heartbeat
from services.core.leadership import leader_identity
from services.core.health import check_stores
from services.core.models.base import utcnow
from services.core.mongo import system_db
from services.core.settings import get_settings
from services.kernel.actor import Actor

OPERATORS = ("it", "admin")


def _notification_status(actor: Actor) -> dict:
    from services import notify

    try:
        return dict(notify.notification_service_status(actor))
    except Exception as exc:  # the status page must show, whatever this one part says
        return {"status": "down", "error": type(exc).__name__}


def _leader() -> str | None:
    try:
        return leader_identity()
    except Exception:
        return None  # PostgreSQL down: the stores' section says so


def processes() -> list[dict]:
    """Every process heard from in the last day, newest heartbeat first, each `alive` or not."""
    now = utcnow()
    out = []
    try:
        docs = system_db()[heartbeat.COLLECTION].find({"at": {"$gte": now - timedelta(days=1)}}).sort("at", DESCENDING)
        for doc in docs:
            silent = (now - doc["at"]).total_seconds()
            out.append({"id": doc["_id"], "role": doc.get("role"), "pid": doc.get("pid"), "host": doc.get("host"),
                        "version": doc.get("version"), "leader": bool(doc.get("leader")) and silent < heartbeat.GONE_AFTER,
                        "last_seen": doc["at"], "silent_seconds": round(silent, 1),
                        "alive": silent < heartbeat.GONE_AFTER, "started_at": doc.get("started_at")})
    except Exception:
        pass  # MongoDB down: the stores' section says so
    return out


def _restarts(actor: Actor) -> list[dict]:
    from services.monitor.restarts import recent_restarts

    try:
        return recent_restarts(actor)
    except Exception:
        return []  # MongoDB down: the stores' section says so


def system_status(actor: Actor) -> dict:
    actor.require(*OPERATORS)
    from services import sync

    health = check_stores()
    notification = _notification_status(actor)
    reconciliation = None
    try:
        last = sync.last_finished("reconcile")
        reconciliation = sync.job_view(last) if last else None
    except Exception:
        pass
    status = health["status"]
    if notification.get("status") in ("degraded", "down"):
        status = "degraded"
    return {"status": status, "stores": health["stores"], "leader": _leader(), "processes": processes(),
            "restarts": _restarts(actor),
            "notifications": notification, "last_reconciliation": reconciliation,
            "build": {"version": get_settings().build_version, "process_role": get_settings().process_role},
            "checked_at": utcnow()}
