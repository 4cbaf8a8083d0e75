"""The six demo accounts, all with the password the README prints. Made once each: the password
is hashed (slowly, on purpose) once per seed, and only when an account is actually created."""
from functools import lru_cache

from services.auth.accounts import insert_user
from services.auth.security import hash_password, verify_password
from services.core.models.documents import User
from services.core.mongo import system_db

DEMO_PASSWORD = "Astro-Demo-2026!"
DEMO_ACCOUNTS = [
    ("traveler@example.com", "Tess Traveler", "traveler"),
    ("vip@example.com", "Vera VIP", "traveler"),
    ("agency@example.com", "Orbital Dynamics", "agency"),
    ("finance@example.com", "Fiona Finance", "finance"),
    ("it@example.com", "Ivan IT", "it"),
    ("admin@example.com", "Ada Admin", "admin"),
]
_TRAVELER_EXTRA = {"phone": "+1 555 0100", "tax_id": "TX-DEMO-1", "address": "1 Launch Way, Cocoa Beach, FL"}
@lru_cache(maxsize=1)
def password_hash() -> str:
    """Every demo account has the demo password: it is hashed (slowly, on purpose) once, and only
    when an account is actually created."""
    return hash_password(DEMO_PASSWORD)


def ensure_account(email: str, name: str, role: str, **extra) -> str:
    """The id of the demo account with this email, created (with the demo password) if missing."""
    doc = system_db()[User.collection].find_one({"email": email}, projection={"_id": 1})
    if doc is not None:
        return doc["_id"]
    return insert_user(email, DEMO_PASSWORD, name, role, password_hash=password_hash(), **extra).id


def seed_accounts() -> dict[str, str]:
    return {email: ensure_account(email, name, role, **(_TRAVELER_EXTRA if role == "traveler" else {}))
            for email, name, role in DEMO_ACCOUNTS}


def accounts_with_published_password() -> list[str]:
    """The demo accounts that can still sign in with the password printed in the README."""
    users = system_db()[User.collection].find({"email": {"$in": [email for email, _n, _r in DEMO_ACCOUNTS]},
                                                "disabled": {"$ne": True}}, projection={"email": 1, "password_hash": 1})
    return sorted(u["email"] for u in users if verify_password(DEMO_PASSWORD, u.get("password_hash", "")))
