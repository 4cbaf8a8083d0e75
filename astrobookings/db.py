"""PostgreSQL: one pooled engine per process and a unit of work per business operation."""
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session, create_engine

from astrobookings.settings import get_settings


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return create_engine(
        settings.sqlalchemy_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
    )


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls back on any exception.

    Callbacks appended to `session.info["after_commit"]` run once the commit has succeeded
    (the outbox uses this to nudge the relay), never after a rollback.
    """
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
    with get_engine().execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        yield conn


@contextmanager
def read_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


def ping() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("select 1"))
