"""Every process says it is alive: a heartbeat document (role, pid, host, version, whether it leads
the scheduler) written every BEAT_SECONDS. IT's status page lists the live ones; a process silent
for GONE_AFTER seconds shows as gone, and a TTL index forgets it after a day."""
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from services.core.logs import get_logger

BEAT_SECONDS = 5.0
GONE_AFTER = 30.0
COLLECTION = "process_heartbeats"
_log = get_logger("heartbeat")


def identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(role: str, version: str, is_leader: Callable[[], bool] = lambda: False, started_at: datetime | None = None) -> None:
    from services.core.mongo import system_db

    now = datetime.now(timezone.utc)
    system_db()[COLLECTION].update_one({"_id": identity()}, {"$set": {
        "role": role, "pid": os.getpid(), "host": socket.gethostname(), "version": version, "leader": is_leader(),
        "at": now}, "$setOnInsert": {"started_at": started_at or now}}, upsert=True)


def start(role: str, version: str, is_leader: Callable[[], bool] = lambda: False) -> threading.Event:
    """Beat in a daemon thread until the returned event is set."""
    stop = threading.Event()
    started_at = datetime.now(timezone.utc)

    def run() -> None:
        while not stop.is_set():
            try:
                beat(role, version, is_leader, started_at)
            except Exception:
                _log.warning("heartbeat not written")
            stop.wait(BEAT_SECONDS)

    threading.Thread(target=run, daemon=True, name="heartbeat").start()
    return stop
