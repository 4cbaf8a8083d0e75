"""Redis: cache, rate limits and the outbox's stream. Losing Redis loses no data.

Fail fast: short connect and socket timeouts (REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT), no
client-side retries, and every connection reports to the Redis circuit breaker: while it is
open, a command raises RedisUnavailable at once (a redis.ConnectionError, so the code that falls
back when Redis is down falls back without waiting).
"""
from functools import lru_cache

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from services.core.breaker import StoreUnavailable, breaker
from services.core.settings import get_settings

STORE = "redis"


class RedisUnavailable(StoreUnavailable, redis.ConnectionError):
    """The Redis breaker is open: refused before touching the network."""


class _GuardedConnection(redis.Connection):
    def _check(self) -> None:
        b = breaker(STORE)
        if not b.allow():
            raise RedisUnavailable(STORE, b.retry_after(), b.last_error)

    def connect(self):
        if self._sock is None:
            self._check()
        try:
            return super().connect()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if not isinstance(exc, StoreUnavailable):
                breaker(STORE).failure(exc)
            raise

    def send_packed_command(self, command, check_health=True):
        if self._sock is not None:
            self._check()
        try:
            return super().send_packed_command(command, check_health)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if not isinstance(exc, StoreUnavailable):
                breaker(STORE).failure(exc)
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            breaker(STORE).failure(exc)
            raise
        breaker(STORE).success()
        return response


def _client(socket_timeout: float) -> redis.Redis:
    s = get_settings()
    return redis.Redis.from_url(s.redis_url, decode_responses=True, socket_timeout=socket_timeout,
                                socket_connect_timeout=s.redis_connect_timeout, retry=Retry(NoBackoff(), 0),
                                connection_class=_GuardedConnection)


@lru_cache
def get_redis() -> redis.Redis:
    return _client(get_settings().redis_socket_timeout)


@lru_cache
def get_blocking_redis(block_seconds: float = 1.0) -> redis.Redis:
    """For commands that wait on the server (BLPOP): its answer may take `block_seconds` longer."""
    return _client(get_settings().redis_socket_timeout + block_seconds)


def key(*parts: object) -> str:
    """A namespaced key: every key this app writes starts with the configured prefix."""
    return get_settings().redis_prefix + ":".join(str(p) for p in parts)


def ping() -> None:
    get_redis().ping()
