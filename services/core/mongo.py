"""MongoDB: the system database (users, logs, notifications, jobs) and the customer read model.

Fail fast: short server-selection, connect and socket timeouts (settings), and the MongoDB circuit
breaker follows the driver's server monitor (which checks every MONGODB_HEARTBEAT_MS): while the
server is down, asking for a database raises MongoUnavailable at once instead of waiting.
"""
from functools import lru_cache

from pymongo import ASCENDING, DESCENDING, MongoClient
from pymongo.database import Database
from pymongo.errors import ConnectionFailure
from pymongo.monitoring import ServerHeartbeatListener

from services.core.breaker import StoreUnavailable, breaker
from services.core.settings import get_settings

# How long the TTL indexes keep what they expire; every collection's indexes are set here.
APP_LOG_RETENTION_DAYS = 14
METRICS_RETENTION_DAYS = 7
RESTART_RETENTION_DAYS = 7  # the supervisor's restarts (services/monitor/restarts.py)
STORE = "mongodb"


class MongoUnavailable(StoreUnavailable, ConnectionFailure):
    """Raised without asking the server while its breaker is open; code that already copes with
    pymongo's ConnectionFailure copes with this too."""


class _Monitor(ServerHeartbeatListener):
    """The driver's own checks of the server drive the breaker: down at the first failed check,
    up at the first good one. Bound to the breaker of its own client's time: a closed client's
    last failures must not open the breaker of the next one."""

    def __init__(self) -> None:
        self.breaker = breaker(STORE)

    def started(self, event) -> None:
        pass

    def succeeded(self, event) -> None:
        self.breaker.success()

    def failed(self, event) -> None:
        self.breaker.failure(event.reply, force=True)


@lru_cache
def get_client() -> MongoClient:
    s = get_settings()
    return MongoClient(s.mongodb_url, tz_aware=True, serverSelectionTimeoutMS=s.mongodb_server_selection_timeout_ms,
                       connectTimeoutMS=s.mongodb_connect_timeout_ms, socketTimeoutMS=s.mongodb_socket_timeout_ms,
                       heartbeatFrequencyMS=s.mongodb_heartbeat_ms, event_listeners=[_Monitor()])


def _available() -> MongoClient:
    client = get_client()
    b = breaker(STORE)
    if not b.allow():
        raise MongoUnavailable(STORE, b.retry_after(), b.last_error)
    return client


def system_db() -> Database:
    return _available()[get_settings().mongodb_system_db]


def customer_db() -> Database:
    return _available()[get_settings().mongodb_customer_db]


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
    system.server_restarts.create_index([("at", ASCENDING)], expireAfterSeconds=RESTART_RETENTION_DAYS * 86400)
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
    _available().admin.command("ping")
