"""The signed-in traveler's or agency's own notifications (the bell and its list), and the
one-click unsubscribe from new launch emails, which works without signing in."""
from services.core.settings import get_settings
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import NotFound, ValidationFailed
from services.notify import rules, store
from services.notify.events import MarketingUnsubscribed
from services.notify.facts import OPTOUTS
from services.notify.queue import present

READERS = ("traveler", "agency")


def my_notifications(actor: Actor, *, page: int = 1, per_page: int = 20) -> dict:
    """Newest first: {"items", "total", "unread"}."""
    actor.require(*READERS)
    if page < 1 or not 1 <= per_page <= 100:
        raise ValidationFailed("page must be 1 or more and per_page 1 to 100.", field="page")
    coll = store.collection()
    mine = {"user_id": actor.user_id, "status": {"$ne": "cancelled"}}
    docs = coll.find(mine, {"attachments.data": 0, "html": 0, "raw": 0}).sort("created_at", -1).skip((page - 1) * per_page).limit(per_page)
    items = [{**present(d), "text": d.get("text", "")} for d in docs]
    for item in items:
        item.pop("attempts", None)  # delivery details are IT's business
    return {"items": items, "total": coll.count_documents(mine), "unread": unread_count(actor)}


def unread_count(actor: Actor) -> int:
    actor.require(*READERS)
    return store.collection().count_documents({"user_id": actor.user_id, "read_at": None, "status": {"$ne": "cancelled"}})


def mark_read(actor: Actor, notification_id: str) -> dict:
    """Another user's notification answers 404, like one that does not exist."""
    actor.require(*READERS)
    mine = {"_id": str(notification_id)[:100], "user_id": actor.user_id}
    # Reading twice keeps the first time.
    store.collection().update_one({**mine, "read_at": None}, {"$set": {"read_at": store.now()}})
    doc = store.collection().find_one(mine, {"read_at": 1})
    if doc is None:
        raise NotFound("No such notification.", field="id")
    return {"id": doc["_id"], "read_at": doc["read_at"].isoformat(), "unread": unread_count(actor)}


def unsubscribe(token: str) -> bool:
    """No more new launch emails for the token's traveler. True if the token is genuine (again: still
    True, nothing changes); a forged or altered token changes nothing and answers False."""
    user_id = rules.unsubscribe_user(token, rules.unsubscribe_key(get_settings().jwt_secret))
    if user_id is None:
        return False
    result = store.collection().database[OPTOUTS].update_one(
        {"_id": user_id}, {"$setOnInsert": {"at": store.now()}}, upsert=True)
    if result.upserted_id is not None:
        outbox.publish(MarketingUnsubscribed(user_id=user_id), None, entry_point="web")
    return True
