"""The notifications collection (MongoDB system database): creating them from drafts, and the
sender's claims and outcomes. Every state change is one conditional update, so two senders (two
worker processes, or one that was thought dead and its successor) never both own a notification."""
import random
import uuid
from datetime import datetime, timezone

from bson import Binary
from pymongo.errors import BulkWriteError

from services.core.models.documents import Notification
from services.core.mongo import system_db
from services.core.settings import get_settings
from services.notify import mime, rules, templates
from services.notify.audience import Draft

# The heavy fields stay out of lists.
LIST_FIELDS = {"html": 0, "text": 0, "raw": 0, "attachments.data": 0}


def collection():
    return system_db()[Notification.collection]


def now() -> datetime:
    return datetime.now(timezone.utc)


def build(draft: Draft, source_event_id: int, source_event_type: str, created_at: datetime,
          attachments: list[dict] | None = None) -> Notification:
    settings = get_settings()
    context = dict(draft.context)
    if draft.marketing and draft.to.user_id:
        context["unsubscribe_url"] = unsubscribe_url(draft.to.user_id)
    rendered = templates.render(draft.kind, context)
    nid = rules.notification_id(source_event_id, draft.kind, draft.to.email)
    attachments = attachments or []
    note = Notification(
        _id=nid, to=draft.to.email, user_id=draft.to.user_id, kind=draft.kind, subject=rendered.subject,
        text=rendered.text, html=rendered.html, marketing=draft.marketing, source_event_id=source_event_id,
        source_event_type=source_event_type, message_id=rules.message_id(nid, settings.mail_from),
        attachments=attachments, created_at=created_at, updated_at=created_at, next_attempt_at=created_at)
    # The email is built here, once; the sender only hands these bytes to SMTP.
    message = mime.message_of(note.to_mongo(), settings.mail_from, context.get("unsubscribe_url"))
    note.raw = mime.wire_bytes(message)
    note.attachments = [{"filename": a["filename"], "content_type": a["content_type"], "size": len(a["data"])}
                        for a in attachments]
    return note


def unsubscribe_url(user_id: str) -> str:
    settings = get_settings()
    token = rules.unsubscribe_token(user_id, rules.unsubscribe_key(settings.jwt_secret))
    return f"{settings.public_base_url.rstrip('/')}/api/mail/unsubscribe?token={token}"


def insert(notifications: list[Notification]) -> int:
    """Insert the new ones; those already there (a replayed event) are left as they are."""
    docs = []
    for n in notifications:
        doc = n.to_mongo()
        if doc.get("raw") is not None:
            doc["raw"] = Binary(doc["raw"])
        docs.append(doc)
    if not docs:
        return 0
    try:
        return len(collection().insert_many(docs, ordered=False).inserted_ids)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(err.get("code") != 11000 for err in errors):
            raise
        return len(docs) - len(errors)


# --- the sender's side ---------------------------------------------------------------------

def recover_stuck(at: datetime) -> int:
    """Notifications left `sending` by a sender that died: due again, with the lost attempt noted."""
    stale = at - rules.SENDING_TIMEOUT
    stuck = list(collection().find({"status": "sending", "sending_since": {"$lt": stale}}, {"_id": 1, "sending_since": 1}))
    recovered = 0
    for doc in stuck:
        result = collection().update_one(
            {"_id": doc["_id"], "status": "sending", "sending_since": doc["sending_since"]},
            {"$set": {"status": "pending", "next_attempt_at": at, "sending_since": None, "updated_at": at},
             "$push": {"attempts": {"at": doc["sending_since"], "outcome": "interrupted",
                                    "detail": "the sender stopped before it answered; sent again (same Message-ID)"}}})
        recovered += result.modified_count
    return recovered


def claim_due(at: datetime, limit: int) -> list[dict]:
    """Claim up to `limit` due notifications (pending, next attempt time passed), from the oldest
    3 x `limit`: each process takes its own sample of them, so processes that claim at the same
    moment mostly take different ones instead of all but one coming back empty-handed."""
    due = [d["_id"] for d in collection().find({"status": "pending", "next_attempt_at": {"$lte": at}}, {"_id": 1})
           .sort("next_attempt_at", 1).limit(limit * 3)]
    if not due:
        return []
    ids = random.sample(due, min(limit, len(due)))
    # One conditional update for the batch, tagged with this claim: only what was still pending is ours.
    claim = uuid.uuid4().hex
    collection().update_many({"_id": {"$in": ids}, "status": "pending"},
                             {"$set": {"status": "sending", "sending_since": at, "updated_at": at, "claim": claim}})
    # Read back by _id (indexed): another process's claim of the same ids carries another tag.
    return list(collection().find({"_id": {"$in": ids}, "claim": claim, "status": "sending"}).sort("next_attempt_at", 1))


def record_sent(ids: list[str], at: datetime, sent_by: str) -> None:
    """The round's sends recorded in one write (one time for the round: they went out within it).
    Should the sender die before it, they stay `sending` and go again after the timeout, with the
    same Message-ID."""
    if ids:
        collection().update_many({"_id": {"$in": ids}, "status": "sending"}, {
            "$set": {"status": "sent", "sent_at": at, "sending_since": None, "next_attempt_at": None, "updated_at": at,
                     "sent_by": sent_by},
            "$push": {"attempts": {"at": at, "outcome": "sent", "detail": f"250 accepted (sent by {sent_by})"}}})


def record_failure(doc: dict, at: datetime, detail: str, permanent: bool) -> str:
    """A failed attempt: retried later on the schedule, or `failed` (a 5xx, or retries used up)."""
    failures = len(doc.get("attempts", [])) - doc.get("round_start", 0) + 1
    retry_at = None if permanent else rules.next_attempt(failures, at)
    status = "pending" if retry_at else "failed"
    outcome = "failed" if permanent else ("retry" if retry_at else "gave_up")
    collection().update_one({"_id": doc["_id"], "status": "sending"}, {
        "$set": {"status": status, "next_attempt_at": retry_at, "sending_since": None, "updated_at": at},
        "$push": {"attempts": {"at": at, "outcome": outcome, "detail": detail[:500]}}})
    return status
