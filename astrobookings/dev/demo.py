"""Demo data for `make run` (never in production): the six demo accounts, and whatever the
portals register as demo content. Idempotent: running it twice changes nothing."""
from services.core.logs import get_logger
from services.core.models.documents import User
from services.core.mongo import ensure_indexes, system_db
from services.auth.accounts import insert_user
from services.auth.security import verify_password

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
_log = get_logger("demo")

# Later modules add callables here (agency profile, rockets, launches, bookings).
EXTRA_SEEDERS: list = []

from astrobookings.dev.demo_agency import seed_agency  # noqa: E402  (agency profile, rockets, launches)

EXTRA_SEEDERS.append(seed_agency)

from astrobookings.dev.demo_bookings import seed_vip_trips  # noqa: E402  (after launches exist)

EXTRA_SEEDERS.append(seed_vip_trips)


def seed_accounts() -> dict[str, str]:
    users = system_db()[User.collection]
    ids = {}
    for email, name, role in DEMO_ACCOUNTS:
        doc = users.find_one({"email": email}, projection={"_id": 1})
        if doc is None:
            extra = _TRAVELER_EXTRA if role == "traveler" else {}
            doc = {"_id": insert_user(email, DEMO_PASSWORD, name, role, **extra).id}
        ids[email] = doc["_id"]
    return ids


def wanted(demo_data: bool | None, embedded_stores: bool) -> bool:
    """DEMO_DATA decides when set; unset, only the embedded stores of a laptop get demo data, so
    an install on stores of its own never gets accounts whose password is published."""
    return embedded_stores if demo_data is None else demo_data


def accounts_with_published_password() -> list[str]:
    """The demo accounts that can still sign in with the password printed in the README."""
    users = system_db()[User.collection].find({"email": {"$in": [email for email, _n, _r in DEMO_ACCOUNTS]},
                                                "disabled": {"$ne": True}}, projection={"email": 1, "password_hash": 1})
    return sorted(u["email"] for u in users if verify_password(DEMO_PASSWORD, u.get("password_hash", "")))


def seed() -> None:
    ensure_indexes()
    ids = seed_accounts()
    for seeder in EXTRA_SEEDERS:
        seeder(ids)
    _log.info("demo data ready", extra={"fields": {"accounts": len(ids)}})


def accounts_banner() -> str:
    lines = ["Demo accounts (password: %s):" % DEMO_PASSWORD]
    lines += [f"  {role:<9} {email}" for email, _name, role in DEMO_ACCOUNTS]
    return "\n".join(lines)


if __name__ == "__main__":
    seed()
    print(accounts_banner())
