"""The outbox: each business operation appends its event in its own transaction.

The relay (astrobookings/jobs/relay.py) delivers events to their handlers after the commit.
"""
from typing import Any

from sqlmodel import Session

from astrobookings.cache import get_redis, key
from astrobookings.logs import get_logger
from astrobookings.models.outbox import OutboxEvent
from services.actor import Actor

NUDGE_KEY = ("outbox", "nudge")
_log = get_logger("outbox")


def record(session: Session, event_type: str, aggregate_type: str, aggregate_id: int, actor: Actor,
           payload: dict[str, Any] | None = None, version: int = 1) -> OutboxEvent:
    event = OutboxEvent(
        event_type=event_type, aggregate_type=aggregate_type, aggregate_id=aggregate_id,
        aggregate_version=version, payload=payload or {},
        actor_id=actor.user_id, actor_email=actor.email, actor_role=actor.role, entry_point=actor.entry_point,
    )
    session.add(event)
    callbacks = session.info.setdefault("after_commit", [])
    if nudge not in callbacks:
        callbacks.append(nudge)
    return event


def nudge() -> None:
    """Wake the relay at once so the read model lags by milliseconds, not by the poll interval."""
    try:
        r = get_redis()
        k = key(*NUDGE_KEY)
        r.pipeline().lpush(k, 1).ltrim(k, 0, 0).execute()
    except Exception:
        # The relay also polls; a lost nudge only delays delivery.
        _log.warning("outbox nudge failed")
