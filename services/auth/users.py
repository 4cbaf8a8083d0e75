"""Admin work on accounts: create staff and agency accounts, list, disable, change role."""
import re
from datetime import datetime, timezone

from services.core.models.documents import User
from services.core.models.users import UserCreate, UserPublic, UserUpdate
from services.core.mongo import system_db
from services.auth.events import UserCreated, UserUpdated
from services.kernel import outbox
from services.kernel.actor import CONSOLE_ROLE, Actor
from services.auth.accounts import forget_account, insert_user, public
from services.kernel.errors import Conflict, NotFound, ValidationFailed
from services.kernel.validation import parse


def create_user(actor: Actor, data: UserCreate | dict) -> UserPublic:
    # An admin in the portal or the API; or the operator at the host's console, who makes the
    # first admin of an install (astrobookings/admin.py).
    actor.require("admin", CONSOLE_ROLE)
    data = parse(UserCreate, data)
    user = insert_user(data.email, data.password, data.name, data.role)
    outbox.publish(UserCreated(user_id=user.id, email=user.email, role=str(getattr(user.role, "value", user.role))), actor)
    return public(user)


# How the admin list may be ordered: the name a caller uses -> (field, direction); a leading "-"
# in USER_SORTS' keys means newest / last first.
USER_SORTS = {"email": ("email", 1), "name": ("name", 1), "created": ("created_at", 1), "-created": ("created_at", -1),
              "last_sign_in": ("last_sign_in_at", 1), "-last_sign_in": ("last_sign_in_at", -1)}


def list_users(actor: Actor, *, role: str | None = None, search: str | None = None, sort: str = "email",
               page: int = 1, per_page: int = 20) -> tuple[list[UserPublic], int]:
    """Accounts, filtered by role and by a piece of the name or email (any case), in `sort` order."""
    actor.require("admin")
    if sort not in USER_SORTS:
        raise ValidationFailed(f"Sort must be one of {', '.join(USER_SORTS)}.", field="sort")
    query: dict = {}
    if role:
        query["role"] = role
    if search and search.strip():
        words = re.escape(search.strip())
        query["$or"] = [{"email": {"$regex": words.lower()}}, {"name": {"$regex": words, "$options": "i"}}]
    coll = system_db()[User.collection]
    total = coll.count_documents(query)
    page = max(page, 1)
    field, direction = USER_SORTS[sort]
    docs = coll.find(query).sort([(field, direction), ("email", 1)]).skip((page - 1) * per_page).limit(per_page)
    return [public(d) for d in docs], total


def update_user(actor: Actor, user_id: str, data: UserUpdate | dict) -> UserPublic:
    actor.require("admin")
    data = parse(UserUpdate, data)
    changes = data.model_dump(exclude_none=True, mode="json")
    if user_id == actor.user_id and (changes.get("disabled") or changes.get("role", "admin") != "admin"):
        raise Conflict("You cannot disable your own account or remove your own admin role.", field="disabled")
    coll = system_db()[User.collection]
    if changes:
        changes["updated_at"] = datetime.now(timezone.utc)
        result = coll.update_one({"_id": user_id}, {"$set": changes})
        if result.matched_count == 0:
            raise NotFound("No user with this id.", field="id")
        forget_account(user_id)
    doc = coll.find_one({"_id": user_id})
    if doc is None:
        raise NotFound("No user with this id.", field="id")
    outbox.publish(UserUpdated(user_id=user_id, changes={k: v for k, v in changes.items() if k != "updated_at"}),
                   actor)
    return public(doc)
