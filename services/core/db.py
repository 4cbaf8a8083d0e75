"""PostgreSQL: one pooled engine per process and a unit of work per business operation.

Fail fast: a pooled connection is waited for at most DB_POOL_TIMEOUT seconds and a new one opened
within DB_CONNECT_TIMEOUT; the PostgreSQL circuit breaker (services/core/breaker.py) counts every
failure to reach the server (the engine's error hook) and, while open, refuses at once with
StoreUnavailable instead of letting each request wait.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, event, text
from sqlmodel import Session, create_engine

from services.core.breaker import breaker, guarded, store_of
from services.core.settings import get_settings

STORE = "postgresql"


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    engine = create_engine(
        settings.sqlalchemy_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        pool_timeout=settings.db_pool_timeout,
        connect_args={"connect_timeout": settings.db_connect_timeout},
    )
    event.listen(engine, "handle_error", _count_failure)
    return engine


def _count_failure(context) -> None:
    """Every error the engine sees, from connecting, pinging or a statement, passes here."""
    if store_of(context.original_exception) == STORE or context.is_disconnect:
        breaker(STORE).failure(context.original_exception)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls back on any exception.

    Callbacks appended to `session.info["after_commit"]` run once the commit has succeeded
    (the outbox uses this to nudge the relay), never after a rollback.
    """
    with guarded(STORE, count=False):
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
    with guarded(STORE, count=False):
        with get_engine().execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            yield conn


@contextmanager
def read_session() -> Iterator[Session]:
    with guarded(STORE, count=False):
        with Session(get_engine(), expire_on_commit=False) as session:
            yield session


def ping() -> None:
    with guarded(STORE, count=False):
        with get_engine().connect() as conn:
            conn.execute(text("select 1"))
