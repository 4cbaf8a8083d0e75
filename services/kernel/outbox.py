"""The outbox: each business operation appends its typed event in its own transaction.

`record` adds the event to the caller's PostgreSQL transaction: it exists if and only if the
change committed. `publish` is for the few operations with no PostgreSQL transaction (sign-in,
failed sign-in, sign-out, account changes, which live in MongoDB): the event goes to a Redis
stream, which the relay moves into the outbox table, so a MongoDB outage neither fails the
request nor loses its log entry. The relay (services/kernel/relay.py) then delivers every event
to each consumer that subscribes to it.
"""
import json
from datetime import datetime, timezone

from sqlalchemy import insert, text
from sqlmodel import Session

from services.core.cache import get_redis, key
from services.core.db import get_engine
from services.core.logs import get_logger
from services.core.models.outbox import OutboxEvent
from services.kernel.actor import Actor
from services.kernel.events import Event

NUDGE_KEY = ("outbox", "nudge")
STREAM_KEY = ("outbox", "stream")
_log = get_logger("outbox")


def _origin(actor: Actor | None) -> dict:
    if actor is None:
        return {"actor_id": None, "actor_email": None, "actor_role": None}
    return {"actor_id": actor.user_id or None, "actor_email": actor.email or None, "actor_role": actor.role or None}


def event_columns(aggregate_id: str = "cast(:aggregate_id as varchar)", payload: str = "cast(:payload as jsonb)") -> str:
    """The event's columns as SQL, so a hot path can write its event in the same statement as its
    change (one round trip):  with b as (update ... returning id) <EVENT_INSERT> select <columns> from b.
    `aggregate_id` and `payload` may be SQL over that statement's rows (an id the insert makes)."""
    return (f"cast(:event_type as varchar), cast(:aggregate_type as varchar), {aggregate_id}, :aggregate_version, "
            f"{payload}, :actor_id, :actor_email, :actor_role, cast(:entry_point as entrypoint), :client_address, now()")


EVENT_COLUMNS = event_columns()
EVENT_INSERT = ("insert into outbox_event (event_type, aggregate_type, aggregate_id, aggregate_version, payload, "
                "actor_id, actor_email, actor_role, entry_point, client_address, created_at)")
_RECORD = text(f"{EVENT_INSERT} values ({EVENT_COLUMNS}) returning id")


def record(session: Session, event: Event, actor: Actor, version: int = 1) -> int:
    """Append `event` to the caller's transaction (written at once, no ORM object: this is on
    every write path); the relay is nudged once the transaction commits. Returns the event's id."""
    event_id = session.execute(_RECORD, event_params(event, actor, version)).scalar_one()
    nudge_after_commit(session)
    return event_id


def event_params(event: Event, actor: Actor, version: int = 1) -> dict:
    """The parameters of EVENT_COLUMNS for this event; call nudge_after_commit on the session too."""
    return {"event_type": event.event_type, "aggregate_type": event.aggregate, "aggregate_id": event.aggregate_id(),
            "aggregate_version": version, "payload": json.dumps(event.payload()),
            "entry_point": getattr(actor.entry_point, "value", actor.entry_point),
            "client_address": actor.client_address, **_origin(actor)}


def nudge_after_commit(session: Session) -> None:
    callbacks = session.info.setdefault("after_commit", [])
    if nudge not in callbacks:
        callbacks.append(nudge)


def publish(event: Event, actor: Actor | None, *, entry_point: str | None = None,
            client_address: str | None = None) -> None:
    """Publish an event of an operation that has no PostgreSQL transaction. Never raises: the
    operation has happened, and its record must not turn it into an error."""
    fields = {
        "type": event.event_type, "aggregate_type": event.aggregate, "aggregate_id": event.aggregate_id(),
        "payload": json.dumps(event.payload()), "at": datetime.now(timezone.utc).isoformat(),
        "entry_point": entry_point or (actor.entry_point if actor else "web"),
        "client_address": client_address or (actor.client_address if actor else None) or "",
        **{k: v or "" for k, v in _origin(actor).items()},
    }
    try:
        r = get_redis()
        nudge_key = key(*NUDGE_KEY)
        r.pipeline(transaction=False).xadd(key(*STREAM_KEY), fields).lpush(nudge_key, 1).ltrim(nudge_key, 0, 0).execute()
        return
    except Exception:
        _log.warning("outbox stream unavailable, writing the event to PostgreSQL", extra={"fields": {"type": event.event_type}})
    try:
        with get_engine().begin() as conn:
            conn.execute(insert(OutboxEvent).values(**row_of_stream_entry(None, fields)))
    except Exception:
        # Both stores are down: the application log is the last place this entry can go.
        _log.error("event lost to the outbox, kept here", extra={"fields": {"event": fields}})


def row_of_stream_entry(entry_id: str | None, fields: dict[str, str]) -> dict:
    """The outbox row of a published event (`entry_id`: its Redis stream id, when it came that way)."""
    return {
        "event_type": fields["type"], "aggregate_type": fields["aggregate_type"], "aggregate_id": fields["aggregate_id"],
        "aggregate_version": 1, "payload": json.loads(fields["payload"]),
        "actor_id": fields.get("actor_id") or None, "actor_email": fields.get("actor_email") or None,
        "actor_role": fields.get("actor_role") or None, "entry_point": fields.get("entry_point") or "web",
        "client_address": fields.get("client_address") or None,
        "source_ref": f"stream:{entry_id}" if entry_id else None,
        "created_at": datetime.fromisoformat(fields["at"]),
    }


def nudge() -> None:
    """Wake the relay at once so the read model lags by milliseconds, not by the poll interval."""
    try:
        r = get_redis()
        k = key(*NUDGE_KEY)
        # One round trip, no MULTI: a nudge is a hint, it needs no atomicity.
        r.pipeline(transaction=False).lpush(k, 1).ltrim(k, 0, 0).execute()
    except Exception:
        # The relay also polls; a lost nudge only delays delivery.
        _log.warning("outbox nudge failed")
