"""Restarts of a server by its supervisor (`make run`, astrobookings/dev/supervisor.py): one
document per restart, kept RESTART_RETENTION_DAYS by a TTL index, shown on IT's status page. A crash loop
that the supervisor rides out must still be seen by someone."""
import socket
from datetime import timedelta

from pymongo import DESCENDING

from services.core.models.base import utcnow
from services.core.mongo import system_db
from services.kernel.actor import Actor

COLLECTION = "server_restarts"
SHOWN = 20
OPERATORS = ("it", "admin")


def record_restart(actor: Actor, *, role: str, exit_code: int | None, restart: int, backoff_seconds: float) -> None:
    """The supervisor saw its server exit on its own and starts it again after `backoff_seconds`."""
    actor.require("system")
    system_db()[COLLECTION].insert_one({
        "at": utcnow(), "host": socket.gethostname(), "role": role, "exit_code": exit_code, "restart": restart,
        "backoff_seconds": backoff_seconds})


def recent_restarts(actor: Actor, within: timedelta = timedelta(days=1)) -> list[dict]:
    """The newest restarts of the last day (at most SHOWN), newest first."""
    actor.require(*OPERATORS)
    docs = system_db()[COLLECTION].find({"at": {"$gte": utcnow() - within}}, {"_id": 0})
    return list(docs.sort("at", DESCENDING).limit(SHOWN))
