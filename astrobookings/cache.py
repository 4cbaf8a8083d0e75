"""Redis: cache, rate limits and locks. Losing Redis loses no data."""
from functools import lru_cache

import redis

from astrobookings.settings import get_settings


@lru_cache
def get_redis() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url, decode_responses=True, socket_timeout=5)


def key(*parts: object) -> str:
    """A namespaced key: every key this app writes starts with the configured prefix."""
    return get_settings().redis_prefix + ":".join(str(p) for p in parts)


def ping() -> None:
    get_redis().ping()
