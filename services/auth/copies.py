"""Account copies in PostgreSQL: what booking needs of an account (id, email, role, name, contact
and tax data, disabled), beside the bookings, so that booking, cancelling and My bookings need
PostgreSQL only while MongoDB, the accounts' home, is down.

The `account-copy` consumer (services/auth/consumers.py) refreshes an account's copy after each
event that creates or changes it: sign-up, sign-in, a profile edit, an admin's change of role or
disabled. Each refresh copies the account as MongoDB holds it then, so deliveries in any order, or
twice, leave the latest state. Authentication reads the copy only when MongoDB cannot answer and
Redis has no last known copy (services/auth/accounts.py)."""
from collections.abc import Iterable

from sqlalchemy import bindparam, text

from services.core.db import one_statement
from services.core.models.documents import User
from services.core.mongo import system_db

FIELDS = ("email", "role", "name", "phone", "tax_id", "address", "disabled")
_COLUMNS = ", ".join(FIELDS)
_UPSERT = text(f"""
    insert into account_copy (user_id, {_COLUMNS}, updated_at)
    values (:user_id, {", ".join(":" + f for f in FIELDS)}, now())
    on conflict (user_id) do update set {", ".join(f"{f} = excluded.{f}" for f in FIELDS)}, updated_at = now()
    where ({", ".join("account_copy." + f for f in FIELDS)}) is distinct from ({", ".join("excluded." + f for f in FIELDS)})""")
_FORGET = text("delete from account_copy where user_id in :ids").bindparams(bindparam("ids", expanding=True))
_READ = text("select user_id, email, role, name, disabled from account_copy where user_id = :user_id")


def _row(doc: dict) -> dict:
    return {"user_id": doc["_id"], "email": doc["email"], "role": str(doc["role"]), "name": doc.get("name") or "",
            "phone": doc.get("phone") or "", "tax_id": doc.get("tax_id") or "", "address": doc.get("address") or "",
            "disabled": bool(doc.get("disabled"))}


def refresh(user_ids: Iterable[str]) -> None:
    """Copy these accounts as MongoDB holds them now; an account no longer there loses its copy."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    found = {d["_id"]: d for d in system_db()[User.collection].find(
        {"_id": {"$in": ids}}, projection={"password_hash": 0})}
    with one_statement() as conn:
        if found:
            conn.execute(_UPSERT, [_row(found[i]) for i in ids if i in found])
        if gone := [i for i in ids if i not in found]:
            conn.execute(_FORGET, {"ids": gone})


def copy_of(user_id: str) -> dict | None:
    """The account's copy in the shape authentication reads from MongoDB, or None."""
    with one_statement() as conn:
        row = conn.execute(_READ, {"user_id": user_id}).first()
    if row is None:
        return None
    return {"_id": row.user_id, "email": row.email, "role": row.role, "name": row.name, "disabled": row.disabled}
