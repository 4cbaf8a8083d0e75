"""Demo data for `make run` (never in production: DEMO_DATA=false): the six demo accounts, and a
year of history behind them (astrobookings/dev/demo_year.py). Idempotent: a second run finds the
accounts and the year's marker and adds nothing.

    python -m astrobookings.dev.demo          seed (on the stores the environment names)
    python -m astrobookings.dev.demo reset    wipe the demo stores and seed again (`make demo-reset`)
"""
import sys
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from astrobookings.logs import get_logger
from astrobookings.models.documents import User
from astrobookings.mongo import ensure_indexes, system_db
from astrobookings.settings import get_settings
from services.auth.accounts import insert_user
from services.auth.security import hash_password

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
# Written once the year is seeded: its presence is what makes a second run add nothing.
MARKER_COLLECTION = "demo_seeds"
YEAR_MARKER = "year-1"
_log = get_logger("demo")


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


def year_seeded() -> bool:
    return system_db()[MARKER_COLLECTION].find_one({"_id": YEAR_MARKER}, projection={"_id": 1}) is not None


def seed() -> None:
    from astrobookings.dev.demo_year import seed_year

    ensure_indexes()
    ids = seed_accounts()
    if year_seeded():
        return
    counts = seed_year(ids)
    system_db()[MARKER_COLLECTION].insert_one({"_id": YEAR_MARKER, "at": datetime.now(timezone.utc), "counts": counts})
    _log.info("demo data ready", extra={"fields": {"accounts": len(ids), **counts}})


def wipe(maildir: Path | None = None) -> None:
    """Every table, document and key of this installation's stores, and the mail sink's folder.
    Refused unless demo data is on: production data is never one command away from deletion."""
    from sqlalchemy import text

    from astrobookings.cache import get_redis, key
    from astrobookings.db import get_engine
    from astrobookings.mongo import customer_db

    settings = get_settings()
    if not settings.demo_data:
        raise SystemExit("DEMO_DATA is off: refusing to wipe these stores.")
    with get_engine().begin() as conn:
        tables = conn.execute(text("select tablename from pg_tables where schemaname = current_schema()")).scalars().all()
        for table in tables:
            conn.execute(text(f'drop table if exists "{table}" cascade'))
        types = conn.execute(text("select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace "
                                  "where n.nspname = current_schema() and t.typtype = 'e'")).scalars().all()
        for enum in types:
            conn.execute(text(f'drop type if exists "{enum}" cascade'))
    system_db().client.drop_database(settings.mongodb_system_db)
    customer_db().client.drop_database(settings.mongodb_customer_db)
    redis = get_redis()
    for name in redis.scan_iter(match=key("*"), count=1000):
        redis.delete(name)
    for mail in (maildir.glob("*.eml") if maildir else ()):
        mail.unlink()


def reset() -> None:
    """Wipe, migrate and seed again, on the embedded stores under var/ (started if need be) or on
    the stores the environment names."""
    import os

    from astrobookings import migrate
    from astrobookings.dev.stack import EmbeddedStack

    stack = EmbeddedStack(Path(__file__).resolve().parents[2] / "var")
    try:
        os.environ.update(stack.start_missing())
        get_settings.cache_clear()
        wipe(stack.root / "mail")
        migrate.upgrade()
        seed()
    finally:
        stack.stop()


def accounts_banner() -> str:
    lines = ["Demo accounts (password: %s):" % DEMO_PASSWORD]
    lines += [f"  {role:<9} {email}" for email, _name, role in DEMO_ACCOUNTS]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["reset"]:
        reset()
        print("Demo data reset: a fresh year is loaded.")
    elif sys.argv[1:]:
        raise SystemExit("usage: python -m astrobookings.dev.demo [reset]")
    else:
        seed()
    print(accounts_banner())
