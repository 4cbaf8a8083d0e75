"""PostgreSQL: one pooled engine per process and a unit of work per business operation.

Fail fast: a pooled connection is waited for at most DB_POOL_TIMEOUT seconds and a new one opened
within DB_CONNECT_TIMEOUT; the PostgreSQL circuit breaker (services/core/breaker.py) counts every
failure to reach the server (the engine's error hook) and, while open, refuses at once with
StoreUnavailable instead of letting each request wait.

A connection that is open already is bounded too. The server cancels long statements
(`statement_timeout`) and ends sessions idle in a transaction; TCP keepalives notice a peer that
vanished. None of that helps when the server is frozen (SIGSTOP, a paused VM: the kernel still
acknowledges every packet), so the client waits at most a deadline for any answer
(`DeadlineConnection`) and then closes the connection: the request fails as a lost connection
(503), the pool drops it, and the breaker counts it.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from sqlalchemy import Connection, Engine, event, text
from sqlmodel import Session, create_engine

from sqlalchemy.exc import DBAPIError

from services.core.breaker import StoreUnavailable, breaker, guarded, store_of
from services.core.settings import get_settings

STORE = "postgresql"
# A pooled connection's liveness check before use: short, so that a frozen server's pooled
# connection and the new one opened in its place (DB_CONNECT_TIMEOUT) still fit in 3 s.
PING_DEADLINE = 0.5
# psycopg's wait raises this (an OperationalError) when its timeout expires.
_WAIT_TIMEOUT = getattr(psycopg.errors, "_WaitTimeout", psycopg.OperationalError)


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection that waits at most `deadline` seconds for the server's answer to
    anything (a statement, a commit, a rollback), then closes itself and raises a lost connection."""
    deadline: float | None = None

    def wait(self, gen, *args, timeout: float | None = None, **kwargs):
        limit = timeout if timeout is not None else self.deadline
        try:
            return super().wait(gen, *args, timeout=limit, **kwargs)
        except _WAIT_TIMEOUT:
            if timeout is not None:
                raise  # the caller's own limit (LISTEN's wait for notifications)
            # Mid-protocol: the connection cannot be used again.
            self.close()
            raise psycopg.OperationalError(f"PostgreSQL did not answer within {limit:g} s") from None


def answer_deadline() -> float | None:
    settings = get_settings()
    return settings.db_statement_timeout + settings.db_answer_grace if settings.db_statement_timeout else None


def connect_options() -> dict:
    """libpq options of every connection the app opens: connect timeout, the server-side limits,
    TCP keepalives (a peer gone without a word is noticed in about 10 s)."""
    settings = get_settings()
    limits = [f"-c statement_timeout={int(settings.db_statement_timeout * 1000)}",
              f"-c idle_in_transaction_session_timeout={int(settings.db_idle_in_transaction_timeout * 1000)}"]
    return {"connect_timeout": settings.db_connect_timeout, "options": " ".join(limits), "keepalives": 1,
            "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3, "tcp_user_timeout": 10_000}


def conninfo() -> str:
    """DATABASE_URL as libpq takes it (SQLAlchemy's driver suffix removed)."""
    return get_settings().sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def raw_connection(**kwargs) -> DeadlineConnection:
    """A connection outside the pool (the scheduler's leader lock, who leads), bounded the same way."""
    conn = DeadlineConnection.connect(conninfo(), **{**connect_options(), **kwargs})
    conn.deadline = answer_deadline()
    return conn


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    engine = create_engine(
        settings.sqlalchemy_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        pool_timeout=settings.db_pool_timeout,
        connect_args=connect_options(),
    )
    event.listen(engine, "do_connect", _connect_with_deadline)
    event.listen(engine, "handle_error", _count_failure)
    plain_ping = engine.dialect.do_ping

    def quick_ping(dbapi_connection) -> bool:
        saved, dbapi_connection.deadline = dbapi_connection.deadline, PING_DEADLINE
        try:
            return plain_ping(dbapi_connection)
        finally:
            dbapi_connection.deadline = saved
    engine.dialect.do_ping = quick_ping
    return engine


def _connect_with_deadline(_dialect, _record, cargs, cparams) -> DeadlineConnection:
    conn = DeadlineConnection.connect(*cargs, **cparams)
    conn.deadline = answer_deadline()
    return conn


def _count_failure(context) -> None:
    """Every error the engine sees, from connecting, pinging or a statement, passes here."""
    if store_of(context.original_exception) == STORE or context.is_disconnect:
        breaker(STORE).failure(context.original_exception)


@contextmanager
def _bounded() -> Iterator[None]:
    """The breaker's guard, and a statement the server cancelled at DB_STATEMENT_TIMEOUT answered
    as 503 too (the server is too slow for now), without counting it: one heavy query must not
    open the breaker for every request."""
    with guarded(STORE, count=False):
        try:
            yield
        except DBAPIError as exc:
            if isinstance(exc.orig, psycopg.errors.QueryCanceled):
                raise StoreUnavailable(STORE, 1, "statement timeout") from exc
            raise


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls back on any exception.

    Callbacks appended to `session.info["after_commit"]` run once the commit has succeeded
    (the outbox uses this to nudge the relay), never after a rollback.
    """
    with _bounded():
        with Session(get_engine(), expire_on_commit=False) as session:
            with session.begin():
                yield session
    for callback in session.info.pop("after_commit", []):
        callback()


@contextmanager
def one_statement() -> Iterator[Connection]:
    """A pooled connection in autocommit mode, for work that is a single SQL statement (atomic on
    its own): no BEGIN and COMMIT round trips on the hottest paths (a booking's confirmation, the
    outbox relay's steps)."""
    with _bounded():
        with get_engine().execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            yield conn


@contextmanager
def one_transaction() -> Iterator[Connection]:
    """A pooled connection inside one transaction (committed when the block ends), for a few
    statements that must share it without the ORM: a lock, then what the lock protects."""
    with _bounded():
        with get_engine().begin() as conn:
            yield conn


@contextmanager
def read_session() -> Iterator[Session]:
    with _bounded():
        with Session(get_engine(), expire_on_commit=False) as session:
            yield session


def ping() -> None:
    with _bounded():
        with get_engine().connect() as conn:
            conn.execute(text("select 1"))
