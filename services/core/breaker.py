"""A circuit breaker per store, so requests stop waiting on a store known to be down.

Each store's client reports to its breaker (services/core/db.py, mongo.py, cache.py): a failure to
reach the store counts, any answer resets the count. After FAILURES failures in a row the breaker
opens: calls to that store fail at once with StoreUnavailable (a 503 with Retry-After at the REST
edge, a message on the page) instead of each holding a worker for a timeout. Once COOLDOWN has
passed, one call at a time goes through as a trial (half-open); its answer closes the breaker, its
failure opens it again. MongoDB's breaker also follows the driver's own server monitor, which
checks the server every second while it is down.

Only availability counts (refused or reset connections, timeouts): a constraint violation or a
bad query says the store is there.
"""
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

STORES = ("postgresql", "mongodb", "redis")
# What each store holds, for the people who read the 503.
WHAT = {"postgresql": "bookings, launches and invoices", "mongodb": "accounts, activity and the catalog",
        "redis": "the cache and sign-in limits"}


class StoreUnavailable(Exception):
    """A store needed for this request cannot be reached right now (or is known to be down)."""

    def __init__(self, store: str, retry_after: int = 2, detail: str = ""):
        self.store = store
        self.retry_after = max(int(retry_after), 1)
        self.detail = detail
        self.message = (f"The {_NAMES.get(store, store)} store is unavailable right now "
                        f"({WHAT.get(store, 'some data')}). Please try again in {self.retry_after} seconds.")
        super().__init__(self.message)


_NAMES = {"postgresql": "PostgreSQL", "mongodb": "MongoDB", "redis": "Redis"}


class Breaker:
    def __init__(self, store: str, failures: int = 2, cooldown: float = 2.0):
        self.store = store
        self.threshold = failures
        self.cooldown = cooldown
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_until = 0.0  # while a trial call is out, others still fail fast
        self._trial_thread = 0   # the thread making it (it may check again within the same call)
        self.last_error = ""

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half_open" if time.monotonic() >= self._opened_at + self.cooldown else "open"

    def retry_after(self) -> int:
        with self._lock:
            if self._opened_at is None:
                return 1
            return max(int(self._opened_at + self.cooldown - time.monotonic() + 0.999), 1)

    def allow(self) -> bool:
        """Whether a call may go to the store now (closed, or this call is the half-open trial)."""
        now = time.monotonic()
        with self._lock:
            if self._opened_at is None:
                return True
            if now < self._trial_until and self._trial_thread == threading.get_ident():
                return True
            if now < self._opened_at + self.cooldown or now < self._trial_until:
                return False
            # The trial's own timeouts end it well within a cooldown; then another may try.
            self._trial_until, self._trial_thread = now + self.cooldown, threading.get_ident()
            return True

    def check(self) -> None:
        """Raise StoreUnavailable at once when the store is known to be down."""
        if not self.allow():
            raise StoreUnavailable(self.store, self.retry_after(), self.last_error)

    def success(self) -> None:
        if self._failures or self._opened_at is not None:  # the common case takes no lock
            with self._lock:
                self._failures, self._opened_at, self._trial_until = 0, None, 0.0

    def failure(self, error: BaseException | str = "", force: bool = False) -> None:
        """The store could not be reached; `force` opens at once (the driver's monitor saw it down)."""
        with self._lock:
            self.last_error = error if isinstance(error, str) else type(error).__name__
            self._failures += 1
            # Open (again): enough failures, the driver's monitor saw it down, or a failed trial.
            if force or self._failures >= self.threshold or self._opened_at is not None:
                self._opened_at = time.monotonic()
                self._trial_until = 0.0

    def reset(self) -> None:
        with self._lock:
            self._failures, self._opened_at, self._trial_until, self.last_error = 0, None, 0.0, ""

    def report(self) -> dict:
        return {"breaker": self.state, "last_error": self.last_error or None}


_breakers: dict[str, Breaker] = {}
_made = threading.Lock()


def breaker(store: str) -> Breaker:
    if store not in _breakers:
        from services.core.settings import get_settings

        settings = get_settings()
        with _made:
            _breakers.setdefault(store, Breaker(store, settings.breaker_failures, settings.breaker_cooldown_seconds))
    return _breakers[store]


def reset_all() -> None:
    for b in _breakers.values():
        b.reset()


def store_of(exc: BaseException) -> str | None:
    """Which store an exception says is unreachable, or None when it is not about availability."""
    for link in _chain(exc):
        if isinstance(link, StoreUnavailable):
            return link.store
        store = _classify(link)
        if store:
            return store
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen = 0
    while exc is not None and seen < 5:
        yield exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1


def _classify(exc: BaseException) -> str | None:
    import psycopg
    import redis
    from pymongo.errors import ConnectionFailure
    from sqlalchemy import exc as sa

    if isinstance(exc, ConnectionFailure):
        return "mongodb"
    if isinstance(exc, (redis.ConnectionError, redis.TimeoutError)):
        return "redis"
    if isinstance(exc, sa.DBAPIError) and (exc.connection_invalidated or _pg_unreachable(exc.orig)):
        return "postgresql"
    if _pg_unreachable(exc) or isinstance(exc, sa.TimeoutError):
        return "postgresql"  # a refused connection, or no pooled connection free within DB_POOL_TIMEOUT
    return None


# Server going away: shutting down, crashed, not yet accepting connections.
_PG_GONE = {"57P01", "57P02", "57P03"}


def _pg_unreachable(exc: BaseException | None) -> bool:
    import psycopg

    if not isinstance(exc, psycopg.OperationalError):
        return False
    # No SQLSTATE: the client lost or never made the connection; class 08: a connection exception.
    # Other operational errors (a statement or lock timeout, say) come from a server that answers.
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith("08") or state in _PG_GONE


def unavailable(exc: BaseException) -> StoreUnavailable | None:
    """The StoreUnavailable an exception amounts to, or None when it is about something else."""
    if isinstance(exc, StoreUnavailable):
        return exc
    store = store_of(exc)
    if store is None:
        return None
    return StoreUnavailable(store, breaker(store).retry_after() if store in STORES else 2, type(exc).__name__)


@contextmanager
def guarded(store: str, count: bool = True) -> Iterator[None]:
    """Around a block that talks to `store`: fail fast while the breaker is open, raise failures to
    reach the store as StoreUnavailable (counting them unless the client's own hook already did),
    and count a completed block as an answer."""
    b = breaker(store)
    b.check()
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        if store_of(exc) == store:
            if count:
                b.failure(exc)
            raise StoreUnavailable(store, b.retry_after(), type(exc).__name__) from exc
        raise  # about the request, not the store: the breaker learns nothing
    b.success()
