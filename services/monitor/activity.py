"""Activity log entries, one per outbox event: the event names the action (its type), the origin
(who, which role, which entry point, from which address), the subject (its aggregate) and the
details (its payload)."""
from pymongo.errors import BulkWriteError

from services.core.models.documents import EntryLog
from services.core.mongo import system_db
from services.kernel.events import Envelope


def entry_of(envelope: Envelope) -> EntryLog:
    return EntryLog(
        _id=f"event-{envelope.id}", event_id=envelope.id, at=envelope.created_at, action=envelope.event_type,
        actor_id=envelope.actor_id, actor_email=envelope.actor_email, actor_role=envelope.actor_role,
        entry_point=envelope.entry_point, client_address=envelope.client_address, subject=envelope.subject,
        details=envelope.event.payload(),
    )


def record_events(envelopes: list[Envelope]) -> None:
    """Write the entries of these events in one insert. Keyed by event id, so a delivery that is
    repeated (after a crash, or a batch retried event by event) writes nothing twice."""
    entries = [entry_of(e).to_mongo() for e in envelopes]
    if not entries:
        return
    try:
        system_db()[EntryLog.collection].insert_many(entries, ordered=False)
    except BulkWriteError as exc:
        # Duplicates are entries already written; anything else is real.
        if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
            raise
