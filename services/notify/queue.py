"""IT's view of the notification queue: counts per status, a filtered page, one notification with
its rendered email and attempts, retry now, cancel, retry every failed one; and the notification
service status. IT and admin only. Each action is published as an event (activity log)."""
import re
import smtplib
from datetime import datetime, timedelta, timezone

from services.core.models.documents import NotificationStatus
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, NotFound, ValidationFailed
from services.notify import rules, sender, store, templates
from services.notify.events import FailedNotificationsRetried, NotificationCancelled, NotificationRetried

OPERATORS = ("it", "admin")
STATUSES = tuple(s.value for s in NotificationStatus)
PER_PAGE_MAX = 100


def present(doc: dict, full: bool = False) -> dict:
    item = {
        "id": doc["_id"], "to": doc["to"], "kind": doc["kind"], "subject": doc["subject"], "status": doc["status"],
        "attempts": [{"at": _iso(a.get("at")), "outcome": a.get("outcome"), "detail": a.get("detail")}
                     for a in doc.get("attempts", [])],
        "created_at": _iso(doc.get("created_at")), "source_event_id": doc.get("source_event_id"),
        "source_event_type": doc.get("source_event_type"), "next_attempt_at": _iso(doc.get("next_attempt_at")),
        "sent_at": _iso(doc.get("sent_at")), "sent_by": doc.get("sent_by"), "read_at": _iso(doc.get("read_at")), "marketing": doc.get("marketing", False),
        "attachments": [a.get("filename") for a in doc.get("attachments", [])],
    }
    if full:
        item.update(text=doc.get("text", ""), html=doc.get("html", ""), message_id=doc.get("message_id"))
    return item


def _iso(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def _filters(status: str | None, kind: str | None, recipient: str | None, day: str | None) -> dict:
    query: dict = {}
    if status:
        if status not in STATUSES:
            raise ValidationFailed(f"status must be one of {', '.join(STATUSES)}.", field="status")
        query["status"] = status
    if kind:
        if kind not in templates.KINDS:
            raise ValidationFailed(f"kind must be one of {', '.join(templates.KINDS)}.", field="kind")
        query["kind"] = kind
    if recipient:
        recipient = recipient.strip()
        if len(recipient) > 254:
            raise ValidationFailed("recipient is at most 254 characters.", field="recipient")
        query["to"] = {"$regex": re.escape(recipient.lower()), "$options": "i"}
    if day:
        try:
            start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            raise ValidationFailed("date must be a day as YYYY-MM-DD.", field="date") from None
        query["created_at"] = {"$gte": start, "$lt": start + timedelta(days=1)}
    return query


def _paging(page: int, per_page: int) -> tuple[int, int]:
    if page < 1:
        raise ValidationFailed("page must be 1 or more.", field="page")
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationFailed(f"per_page must be between 1 and {PER_PAGE_MAX}.", field="per_page")
    return page, per_page


def counts() -> dict[str, int]:
    coll = store.collection()
    return {s: coll.count_documents({"status": s}) for s in STATUSES}


def list_notifications(actor: Actor, *, status: str | None = None, kind: str | None = None,
                       recipient: str | None = None, date: str | None = None, page: int = 1,
                       per_page: int = 20) -> dict:
    """Newest first: {"items", "total", "counts"} (counts over the whole queue, per status)."""
    actor.require(*OPERATORS)
    query = _filters(status, kind, recipient, date)
    page, per_page = _paging(page, per_page)
    coll = store.collection()
    docs = coll.find(query, store.LIST_FIELDS).sort("created_at", -1).skip((page - 1) * per_page).limit(per_page)
    return {"items": [present(d) for d in docs], "total": coll.count_documents(query), "counts": counts(),
            "page": page, "per_page": per_page}


def get_notification(actor: Actor, notification_id: str) -> dict:
    actor.require(*OPERATORS)
    return present(_find(notification_id), full=True)


def _find(notification_id: str) -> dict:
    doc = store.collection().find_one({"_id": str(notification_id)[:100]}, {"attachments.data": 0, "raw": 0})
    if doc is None:
        raise NotFound("No such notification.", field="id")
    return doc


def set_status(actor: Actor, notification_id: str, status: str) -> dict:
    """`pending`: retry now (a failed or pending one, with a new round of retries); `cancelled`:
    a pending one is never sent."""
    actor.require(*OPERATORS)
    if status not in ("pending", "cancelled"):
        raise ValidationFailed("status must be pending (retry now) or cancelled.", field="status")
    doc = _find(notification_id)
    now = store.now()
    if status == "pending":
        if doc["status"] not in ("failed", "pending"):
            raise Conflict(f"A {doc['status']} notification cannot be retried.", field="status")
        changed = store.collection().update_one(
            {"_id": doc["_id"], "status": doc["status"]},
            {"$set": {"status": "pending", "next_attempt_at": now, "round_start": len(doc.get("attempts", [])),
                      "updated_at": now}})
        event = NotificationRetried(notification_id=doc["_id"], from_status=doc["status"])
    else:
        if doc["status"] != "pending":
            raise Conflict(f"Only a pending notification can be cancelled; this one is {doc['status']}.", field="status")
        changed = store.collection().update_one(
            {"_id": doc["_id"], "status": "pending"},
            {"$set": {"status": "cancelled", "next_attempt_at": None, "updated_at": now}})
        event = NotificationCancelled(notification_id=doc["_id"])
    if changed.modified_count != 1:
        raise Conflict("The notification changed meanwhile (the sender took it); look again.", field="status")
    outbox.publish(event, actor)
    if status == "pending":
        sender.wake.set()
    return present(_find(doc["_id"]), full=True)


def retry_failed(actor: Actor) -> int:
    """After an outage: every failed notification is due again now, with a new round of retries."""
    actor.require(*OPERATORS)
    now = store.now()
    coll = store.collection()
    retried = 0
    for doc in coll.find({"status": "failed"}, {"_id": 1, "attempts.at": 1}):
        retried += coll.update_one({"_id": doc["_id"], "status": "failed"}, {"$set": {
            "status": "pending", "next_attempt_at": now, "round_start": len(doc.get("attempts", [])),
            "updated_at": now}}).modified_count
    outbox.publish(FailedNotificationsRetried(count=retried), actor)
    if retried:
        sender.wake.set()
    return retried


# --- service status ------------------------------------------------------------------------

def smtp_reachable() -> tuple[bool, str | None]:
    try:
        smtp = sender.connect(timeout=3.0)
        try:
            code, _ = smtp.noop()
        finally:
            try:
                smtp.quit()
            except smtplib.SMTPException:
                pass
        return code == 250, None if code == 250 else f"NOOP answered {code}"
    except Exception as exc:
        return False, rules.describe(exc)


def notification_service_status(actor: Actor) -> dict:
    """SMTP reachable (a NOOP), queue depth, oldest pending age, sent and failed in the last hour,
    the last successful send; `degraded` when the server is unreachable or mail is piling up."""
    actor.require(*OPERATORS)
    now = store.now()
    coll = store.collection()
    waiting = {"status": {"$in": ["pending", "sending"]}}
    depth = coll.count_documents(waiting)
    oldest = next(iter(coll.find(waiting, {"created_at": 1}).sort("created_at", 1).limit(1)), None)
    last = next(iter(coll.find({"status": "sent"}, {"sent_at": 1}).sort("sent_at", -1).limit(1)), None)
    hour_ago = now - timedelta(hours=1)
    reachable, error = smtp_reachable()
    oldest_age = (now - _aware(oldest["created_at"])).total_seconds() if oldest else 0.0
    piling = depth > rules.DEGRADED_QUEUE_DEPTH or oldest_age > rules.DEGRADED_OLDEST_PENDING.total_seconds()
    return {
        "status": "ok" if reachable and not piling else "degraded",
        "smtp_reachable": reachable, "smtp_error": error,
        "queue_depth": depth, "oldest_pending_age_seconds": round(oldest_age, 1),
        "sent_last_hour": coll.count_documents({"status": "sent", "sent_at": {"$gte": hour_ago}}),
        "failed_last_hour": coll.count_documents({"status": "failed", "updated_at": {"$gte": hour_ago}}),
        "last_sent_at": _iso(last.get("sent_at")) if last else None,
        "counts": counts(),
    }


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
