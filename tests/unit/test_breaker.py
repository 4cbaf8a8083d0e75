"""The circuit breaker's rule: open after failures in a row, fail fast, one trial after the cooldown."""
import threading

import psycopg
import pytest
import redis
from pymongo.errors import DuplicateKeyError, ServerSelectionTimeoutError

from services.core.breaker import Breaker, StoreUnavailable, store_of, unavailable


def test_opens_after_failures_in_a_row_and_fails_fast():
    b = Breaker("redis", failures=2, cooldown=60)
    b.failure("refused")
    assert b.allow() and b.state == "closed"
    b.failure("refused")
    assert b.state == "open" and not b.allow()
    with pytest.raises(StoreUnavailable) as refused:
        b.check()
    assert refused.value.store == "redis" and refused.value.retry_after >= 59
    assert "Redis" in refused.value.message and "try again" in refused.value.message


def test_an_answer_between_failures_resets_the_count():
    b = Breaker("mongodb", failures=2, cooldown=60)
    b.failure("x")
    b.success()
    b.failure("x")
    assert b.state == "closed"


def _cooldown_passes(b: Breaker) -> None:
    b._opened_at -= b.cooldown  # as if the cooldown had passed, without waiting for it


def test_after_the_cooldown_one_trial_goes_through_and_its_answer_closes():
    b = Breaker("postgresql", failures=1, cooldown=60)
    b.failure("refused")
    assert not b.allow()
    _cooldown_passes(b)
    assert b.state == "half_open"
    assert b.allow(), "the trial"
    others = []
    thread = threading.Thread(target=lambda: others.append(b.allow()))
    thread.start()
    thread.join()
    assert others == [False], "others still fail fast while the trial is out"
    b.success()
    assert b.state == "closed" and b.allow()


def test_a_failed_trial_opens_again():
    b = Breaker("postgresql", failures=3, cooldown=60)
    b.failure("x", force=True)
    assert b.state == "open"
    _cooldown_passes(b)
    assert b.allow()
    b.failure("still down")
    assert b.state == "open"


@pytest.mark.parametrize("exc, store", [
    (ServerSelectionTimeoutError("no servers"), "mongodb"),
    (redis.ConnectionError("refused"), "redis"),
    (redis.TimeoutError("timed out"), "redis"),
    (psycopg.OperationalError("connection refused"), "postgresql"),
    (StoreUnavailable("redis"), "redis"),
    (DuplicateKeyError("dup"), None),
    (psycopg.errors.QueryCanceled("statement timeout"), None),
    (ValueError("bug"), None),
])
def test_only_availability_errors_name_a_store(exc, store):
    assert store_of(exc) == store
    assert (unavailable(exc) is None) == (store is None)


def test_a_wrapped_driver_error_is_found_through_its_cause():
    try:
        try:
            raise redis.ConnectionError("refused")
        except redis.ConnectionError as inner:
            raise RuntimeError("while caching") from inner
    except RuntimeError as outer:
        assert store_of(outer) == "redis"


def test_the_trial_thread_may_check_again_within_its_call():
    """A call checks more than once (connect, then send): its own trial is not refused by itself."""
    b = Breaker("redis", failures=1, cooldown=60)
    b.failure("refused")
    _cooldown_passes(b)
    assert b.allow()
    assert b.allow(), "the same thread, the same trial"
    others = []
    thread = threading.Thread(target=lambda: others.append(b.allow()))
    thread.start()
    thread.join()
    assert others == [False]
