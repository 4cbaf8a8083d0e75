"""Who leads the scheduler: the holder of a PostgreSQL session advisory lock (astrobookings/jobs/scheduler.py)."""
from services.core.db import raw_connection

# The advisory lock's key (locks are per database: test runs and tenants never collide).
LOCK_KEY = 0x41B0_5C4E  # "AstroBookings scheduler"


def leader_identity() -> str | None:
    """Who holds the scheduler's lock now, as PostgreSQL sees it (the lock connection's
    application_name); None when nobody does."""
    with raw_connection(autocommit=True) as conn:
        row = conn.execute("""
            select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = %s and l.objsubid = 1
              and l.database = (select oid from pg_database where datname = current_database())""",
            (LOCK_KEY,)).fetchone()
    return row[0] if row else None
