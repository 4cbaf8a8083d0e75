"""MongoDB: the system database (users, logs, notifications, jobs) and the customer read model."""
from functools import lru_cache

from pymongo import ASCENDING, DESCENDING, MongoClient
from pymongo.database import Database

from astrobookings.logs import APP_LOG_RETENTION_DAYS
from astrobookings.settings import get_settings

METRICS_RETENTION_DAYS = 7


@lru_cache
def get_client() -> MongoClient:
    return MongoClient(get_settings().mongodb_url, serverSelectionTimeoutMS=5000, tz_aware=True)


def system_db() -> Database:
    return get_client()[get_settings().mongodb_system_db]


def customer_db() -> Database:
    return get_client()[get_settings().mongodb_customer_db]


def ensure_indexes() -> None:
    """Idempotent: create_index is a no-op when the index already exists."""
    system = system_db()
    system.users.create_index([("email", ASCENDING)], unique=True)
    system.users.create_index([("role", ASCENDING)])
    system.revoked_tokens.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)
    # The activity log: newest first, and each filter IT uses leads an index ending with the time.
    system.entry_logs.create_index([("at", DESCENDING)])
    system.entry_logs.create_index([("action", ASCENDING)])
    system.notifications.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])
    for field in ("action", "actor_email", "actor_role", "entry_point", "subject"):
        system.entry_logs.create_index([(field, ASCENDING), ("at", DESCENDING)])
    system.app_logs.create_index([("at", ASCENDING)], expireAfterSeconds=APP_LOG_RETENTION_DAYS * 86400)
    system.app_logs.create_index([("level", ASCENDING), ("at", DESCENDING)])
    system.process_heartbeats.create_index([("at", ASCENDING)], expireAfterSeconds=86400)
    system.system_metrics.create_index([("at", ASCENDING)], expireAfterSeconds=METRICS_RETENTION_DAYS * 86400)
    system.notifications.create_index([("source_event_id", ASCENDING), ("kind", ASCENDING), ("to", ASCENDING)])
    system.notifications.create_index([("user_id", ASCENDING), ("created_at", DESCENDING)])
    system.notifications.create_index([("created_at", DESCENDING)])
    system.sync_jobs.create_index([("created_at", DESCENDING)])
    system.sync_jobs.create_index([("status", ASCENDING), ("created_at", ASCENDING)])
    system.system_metrics.create_index([("name", ASCENDING), ("at", DESCENDING)])
    customer = customer_db()
    customer.launch_cards.create_index([("slug", ASCENDING)], unique=True)
    customer.launch_cards.create_index([("bookable", ASCENDING), ("date", ASCENDING)])
    customer.traveler_bookings.create_index([("traveler_id", ASCENDING)])
    # Reconciliation reads the read model by id ranges.
    customer.launch_cards.create_index([("launch_id", ASCENDING)])
    customer.traveler_bookings.create_index([("booking_id", ASCENDING)])


def ping() -> None:
    get_client().admin.command("ping")
