"""Activity log: every sign-in, sign-up, admin change and business change leaves an EntryLog."""
import uuid
from typing import Any

from pymongo.errors import BulkWriteError

from astrobookings.logs import get_logger
from astrobookings.models.documents import EntryLog
from astrobookings.mongo import system_db
from services.actor import Actor

_log = get_logger("activity")


def record(action: str, actor: Actor | None, subject: str | None = None, *,
           client_address: str | None = None, entry_point: str | None = None, **details: Any) -> None:
    entry = EntryLog(
        _id=uuid.uuid4().hex,
        action=action,
        actor_id=actor.user_id if actor else None,
        actor_email=actor.email if actor else None,
        actor_role=actor.role if actor else None,
        entry_point=entry_point or (actor.entry_point if actor else "web"),
        client_address=client_address or (actor.client_address if actor else None),
        subject=subject,
        details=details,
    )
    system_db()[EntryLog.collection].insert_one(entry.to_mongo())
    _log.info(action, extra={"fields": {"actor": entry.actor_email, "subject": subject, **details}})


def record_events(events: list, action_names: dict[str, str]) -> None:
    """The EntryLogs of committed outbox events, in one insert (the relay calls this): the event
    already carries the origin, and the hot path of a booking skips a write of its own. Keyed by
    event id, so a relay that repeats a batch writes nothing twice."""
    entries = [EntryLog(
        _id=f"event-{e.id}", at=e.created_at, action=action_names.get(e.event_type, e.event_type),
        actor_id=e.actor_id, actor_email=e.actor_email, actor_role=e.actor_role, entry_point=e.entry_point,
        client_address=(e.payload or {}).get("client_address"), subject=f"{e.aggregate_type}:{e.aggregate_id}",
        details={k: v for k, v in (e.payload or {}).items() if k != "client_address"},
    ).to_mongo() for e in events]
    if not entries:
        return
    coll = system_db()[EntryLog.collection]
    try:
        coll.insert_many(entries, ordered=False)
    except BulkWriteError as exc:
        # Duplicates are entries of a repeated batch, already written; anything else is real.
        if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
            raise
