"""The catalog's cache in Redis, tolerant of Redis being down (every read then goes to MongoDB).

Cached by launch, not by world. Each launch's card is cached under that launch's own generation,
which the read model's projector moves when it writes a new card (launch_changed). A list page is
cached as its shape only (which launches, in which order, and the total) under the list
generation, which moves only when a change can alter some list: a launch added, moved in time or
price, opened, closed, sold out or back on sale. A page whose members or order follow the seats
themselves (sorted by free seats, or asking for several seats) is cached under the list
generation and the seats generation too, which moves with every change of any launch's free
seats: it is rebuilt once per booking, not once per reader. A list page is then its shape plus
each launch's current card, all read in one Lua round trip (cached_list).

Stale rather than down: every page and card built from MongoDB is also kept (a day) as the last
known copy (keep_last), served marked `"stale": true` with its `age_seconds` while MongoDB is
unreachable.
"""
import json
import threading
import time as clock

import redis

from services.core.cache import get_redis, key
from services.core.logs import get_logger

# Invalidation is exact (per launch, per list generation): TTLs are only a safety net.
CARD_TTL = 300
LIST_TTL = 300
SITEMAP_TTL = 300
ID_TTL = 600
GENERATION_TTL = 86400  # longer than any key built under a generation
LAST_KNOWN_TTL = 86400
_log = get_logger("catalog")


def read(k: str) -> str | None:
    try:
        return get_redis().get(k)
    except redis.RedisError:
        _log.warning("catalog cache read failed", extra={"fields": {"key": k}})
        return None


def write(k: str, value: str, ttl: int) -> None:
    try:
        get_redis().set(k, value, ex=ttl)
    except redis.RedisError:
        _log.warning("catalog cache write failed", extra={"fields": {"key": k}})


def list_generation() -> str:
    return read(key("catalog", "list-gen")) or "0"


def card_generation(slug: str) -> str:
    return read(key("catalog", "card-gen", slug)) or "0"


def card_generations(slugs: list[str]) -> dict[str, str] | None:
    """Each launch's card generation in one round trip (MGET), for the process's watcher of
    open launch pages; None while Redis is unreachable (the breaker reports it, not us)."""
    if not slugs:
        return {}
    try:
        values = get_redis().mget([key("catalog", "card-gen", slug) for slug in slugs])
    except redis.RedisError:
        return None
    return {slug: value or "0" for slug, value in zip(slugs, values)}


def keep_last(k: str, body: str) -> None:
    """The last copy built from MongoDB, served (marked stale) while MongoDB is down."""
    write(k, json.dumps({"at": clock.time(), "body": body}), LAST_KNOWN_TTL)


def last_known(k: str) -> tuple[dict, float] | None:
    raw = read(k)
    if raw is None:
        return None
    kept = json.loads(raw)
    return json.loads(kept["body"]), max(clock.time() - kept["at"], 0.0)


def stale(body: dict, age: float) -> str:
    return json.dumps({**body, "stale": True, "age_seconds": round(age)}, separators=(",", ":"))


# Launches whose change could not reach Redis (it was down): applied at the next change that does.
_missed: dict[str, tuple[bool, bool]] = {}
_missed_lock = threading.Lock()


def launch_changed(slug: str, lists_too: bool, seats_too: bool = False) -> None:
    """The read model wrote a new card for this launch: its cached card goes, every cached list
    page too when the change can alter a list's members or order (`lists_too`), and the pages
    that follow seats when its free seats changed (`seats_too`)."""
    with _missed_lock:
        lists, seats = _missed.get(slug, (False, False))
        _missed[slug] = (lists or lists_too, seats or seats_too)
        pending = dict(_missed)
    try:
        pipe = get_redis().pipeline(transaction=False)
        for name in pending:
            pipe.incr(key("catalog", "card-gen", name)).expire(key("catalog", "card-gen", name), GENERATION_TTL)
        for which, moved in (("list-gen", any(lists for lists, _ in pending.values())),
                             ("seats-gen", any(seats for _, seats in pending.values()))):
            if moved:
                pipe.incr(key("catalog", which)).expire(key("catalog", which), GENERATION_TTL)
        pipe.execute()
    except redis.RedisError:
        # Losing Redis loses no data: the change is applied to the cache when Redis is back.
        _log.warning("catalog cache invalidation failed", extra={"fields": {"slug": slug, "waiting": len(pending)}})
        return
    with _missed_lock:
        for name in pending:
            _missed.pop(name, None)


def age_of(body: dict) -> int | None:
    """How old a last known copy is, in seconds; None for a fresh answer."""
    return body.get("age_seconds", 0) if body.get("stale") else None


# One round trip for a cached list page: the page's generation (the list generation, and the
# seats generation for a page that follows seats), its shape under it, and each launch's card
# generation and card. ARGV: key prefix, the page's digest, "1" when the page follows seats.
_LIST_SCRIPT = """
local p = ARGV[1]
local gen = redis.call('GET', p .. 'catalog:list-gen') or '0'
if ARGV[3] == '1' then gen = gen .. '.' .. (redis.call('GET', p .. 'catalog:seats-gen') or '0') end
local shape = redis.call('GET', p .. 'catalog:list:' .. gen .. ':' .. ARGV[2])
if not shape then return {gen} end
local out = {gen, shape}
for _, slug in ipairs(cjson.decode(shape)['slugs']) do
  local g = redis.call('GET', p .. 'catalog:card-gen:' .. slug) or '0'
  out[#out + 1] = g
  out[#out + 1] = redis.call('GET', p .. 'catalog:launch:' .. slug .. ':' .. g) or ''
end
return out
"""


def cached_list(digest: str, follows_seats: bool = False) -> list | None:
    """[generation] when the page is not cached under it, else [generation, shape, then each
    launch's card generation and card]; None while Redis is unreachable."""
    try:
        return get_redis().eval(_LIST_SCRIPT, 0, key(), digest, "1" if follows_seats else "0")
    except redis.RedisError:
        _log.warning("catalog cache read failed", extra={"fields": {"page": digest}})
        return None
