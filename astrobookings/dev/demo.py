"""Demo data for `make run` (never in production: DEMO_DATA=false): the six demo accounts, and a
year of history behind them (astrobookings/dev/demo_year.py). Idempotent: a second run finds the
accounts and the year's marker and adds nothing.

    python -m astrobookings.dev.demo          seed (on the stores the environment names)
    python -m astrobookings.dev.demo reset    wipe the demo stores and seed again (`make demo-reset`)
"""
import sys
from datetime import datetime, timezone
from pathlib import Path

from astrobookings.dev.demo_accounts import (DEMO_ACCOUNTS, DEMO_PASSWORD, accounts_with_published_password,  # noqa: F401
                                             ensure_account, seed_accounts)
from services.core.logs import get_logger
from services.core.mongo import ensure_indexes, system_db
from services.core.settings import get_settings

# Written once the year is seeded: its presence is what makes a second run add nothing.
MARKER_COLLECTION = "demo_seeds"
YEAR_MARKER = "year-1"
_log = get_logger("demo")


def year_seeded() -> bool:
    return system_db()[MARKER_COLLECTION].find_one({"_id": YEAR_MARKER}, projection={"_id": 1}) is not None


def wanted(demo_data: bool | None, embedded_stores: bool) -> bool:
    """DEMO_DATA decides when set; unset, only the embedded stores of a laptop get demo data, so
    an install on stores of its own never gets accounts whose password is published."""
    return embedded_stores if demo_data is None else demo_data


def seed() -> None:
    from astrobookings.dev.demo_year import seed_year

    ensure_indexes()
    ids = seed_accounts()
    if year_seeded():
        return
    counts = seed_year(ids)
    system_db()[MARKER_COLLECTION].insert_one({"_id": YEAR_MARKER, "at": datetime.now(timezone.utc), "counts": counts})
    _log.info("demo data ready", extra={"fields": {"accounts": len(ids), **counts}})


def wipe(maildir: Path | None = None, embedded_stores: bool = False) -> None:
    """Every table, document and key of this installation's stores, and the mail sink's folder.
    Refused unless demo data is on (as `make run` decides it): production data is never one
    command away from deletion."""
    from sqlalchemy import text

    from services.core.cache import get_redis, key
    from services.core.db import get_engine
    from services.core.mongo import customer_db

    settings = get_settings()
    if not wanted(settings.demo_data, embedded_stores):
        raise SystemExit("Demo data is off for these stores (DEMO_DATA, or stores of your own): refusing to wipe them.")
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

    from services.core import migrate
    from astrobookings.dev.stack import EmbeddedStack

    stack = EmbeddedStack(Path(__file__).resolve().parents[2] / "var")
    try:
        started = stack.start_missing()
        os.environ.update(started)
        get_settings.cache_clear()
        wipe(stack.root / "mail", embedded_stores="DATABASE_URL" in started and "MONGODB_URL" in started)
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
