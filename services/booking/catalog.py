"""The public catalog: launch cards from the customer read model (MongoDB), served through Redis.

Never reads PostgreSQL: visitor and crawler traffic scales apart from the operations database.

Cached by launch, not by world. Each launch's card is cached under that launch's own generation,
which the read model's projector moves when it writes a new card (launch_changed). A list page is
cached as its shape only (which launches, in which order, and the total) under the list
generation, which moves only when a change can alter some list: a launch added, moved in time or
price, opened, closed, sold out or back on sale. A list page is then its shape plus each
launch's current card, all read in one Lua round trip. So a booking refreshes one card and every
list page stays warm (bench/catalog_under_load.py measures it).

Stale rather than down: every page and card built from MongoDB is also kept (a day) as the last
known copy. While MongoDB is unreachable, a request the cache cannot answer gets that copy,
marked `"stale": true` with its `age_seconds`. While Redis is down, every read goes to MongoDB.
"""
import hashlib
import json
import threading
import time as clock
from datetime import datetime, time, timedelta, timezone

import redis

from astrobookings.breaker import store_of
from astrobookings.cache import get_redis, key
from astrobookings.logs import get_logger
from astrobookings.models.bounds import INT32_MAX, MAX_ID_TEXT
from astrobookings.models.catalog import CatalogQuery, LaunchCardPublic
from astrobookings.models.documents import LaunchCard
from astrobookings.mongo import customer_db
from services.booking.rules import booking_state
from services.kernel.errors import NotFound, ValidationFailed
from astrobookings.models.reference import DESTINATION_NAMES, DESTINATIONS, range_of
from services.kernel.validation import parse

# Invalidation is exact (per launch, per list generation): TTLs are only a safety net.
CARD_TTL = 300
LIST_TTL = 300
SITEMAP_TTL = 300
ID_TTL = 600
GENERATION_TTL = 86400  # longer than any key built under a generation
LAST_KNOWN_TTL = 86400
_log = get_logger("catalog")


def display_name(rocket_name: str, destination: str) -> str:
    return f"{rocket_name} to {DESTINATION_NAMES.get(destination, destination)}"


def launch_path(slug: str) -> str:
    return f"/launches/{slug}"


def _cards():
    return customer_db()[LaunchCard.collection]


def to_public(doc: dict, now: datetime | None = None) -> LaunchCardPublic:
    now = now or datetime.now(timezone.utc)
    return LaunchCardPublic(
        id=doc["launch_id"], slug=doc["slug"], name=display_name(doc["rocket_name"], doc["destination"]),
        url=launch_path(doc["slug"]), agency_name=doc["agency_name"], rocket_name=doc["rocket_name"],
        rocket_range=doc["rocket_range"], spaceport=doc["spaceport"], spaceport_name=doc["spaceport_name"],
        destination=doc["destination"], destination_name=DESTINATION_NAMES.get(doc["destination"], doc["destination"]),
        date=doc["date"], price_cents=doc["price_cents"], seats_offered=doc["seats_offered"],
        seats_free=max(doc["seats_free"], 0), status=doc["status"],
        **_booking_fields(booking_state(doc["status"], doc["date"], doc["seats_free"], now)),
    )


def _booking_fields(state: str) -> dict:
    return {"bookable": state == "open", "sold_out": state == "sold_out"}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# --- Redis, tolerant of its absence ------------------------------------------------------------

def _get(k: str) -> str | None:
    try:
        return get_redis().get(k)
    except redis.RedisError:
        _log.warning("catalog cache read failed", extra={"fields": {"key": k}})
        return None


def _set(k: str, value: str, ttl: int) -> None:
    try:
        get_redis().set(k, value, ex=ttl)
    except redis.RedisError:
        _log.warning("catalog cache write failed", extra={"fields": {"key": k}})


def list_generation() -> str:
    return _get(key("catalog", "list-gen")) or "0"


def card_generation(slug: str) -> str:
    return _get(key("catalog", "card-gen", slug)) or "0"


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


def _keep_last(k: str, body: str) -> None:
    """The last copy built from MongoDB, served (marked stale) while MongoDB is down."""
    _set(k, json.dumps({"at": clock.time(), "body": body}), LAST_KNOWN_TTL)


def _last(k: str) -> tuple[dict, float] | None:
    raw = _get(k)
    if raw is None:
        return None
    kept = json.loads(raw)
    return json.loads(kept["body"]), max(clock.time() - kept["at"], 0.0)


def _stale(body: dict, age: float) -> str:
    return json.dumps({**body, "stale": True, "age_seconds": round(age)}, separators=(",", ":"))


# Launches whose change could not reach Redis (it was down): applied at the next change that does.
_missed: dict[str, bool] = {}
_missed_lock = threading.Lock()


def launch_changed(slug: str, lists_too: bool) -> None:
    """The read model wrote a new card for this launch: its cached card goes, and every cached
    list page too when the change can alter a list's members or order (`lists_too`)."""
    with _missed_lock:
        _missed[slug] = _missed.get(slug, False) or lists_too
        pending = dict(_missed)
    try:
        pipe = get_redis().pipeline(transaction=False)
        for name, lists in pending.items():
            pipe.incr(key("catalog", "card-gen", name)).expire(key("catalog", "card-gen", name), GENERATION_TTL)
        if any(pending.values()):
            pipe.incr(key("catalog", "list-gen")).expire(key("catalog", "list-gen"), GENERATION_TTL)
        pipe.execute()
    except redis.RedisError:
        # Losing Redis loses no data: the change is applied to the cache when Redis is back.
        _log.warning("catalog cache invalidation failed", extra={"fields": {"slug": slug, "waiting": len(pending)}})
        return
    with _missed_lock:
        for name in pending:
            _missed.pop(name, None)


# --- search ------------------------------------------------------------------------------------

def parse_query(data: CatalogQuery | dict) -> CatalogQuery:
    query = parse(CatalogQuery, data)
    if query.destination and query.destination not in DESTINATIONS:
        raise ValidationFailed(f"Destination must be one of: {', '.join(DESTINATIONS)}.", field="destination")
    if query.from_ and query.to and query.to < query.from_:
        raise ValidationFailed("The end of the date window must be on or after its start.", field="to")
    return query


def _mongo_filter(query: CatalogQuery, now: datetime) -> dict:
    # Public search shows what a visitor can still book: open launches with free seats.
    when: dict = {"$gt": now}
    if query.from_:
        when["$gte"] = datetime.combine(query.from_, time.min, timezone.utc)
    if query.to:
        when["$lt"] = datetime.combine(query.to + timedelta(days=1), time.min, timezone.utc)
    found: dict = {"bookable": True, "seats_free": {"$gte": query.seats_needed or 1}, "date": when}
    destinations = set(DESTINATIONS)
    if query.destination:
        destinations &= {query.destination}
    if query.range:
        destinations &= {d for d in DESTINATIONS if range_of(d) == query.range}
    if destinations != set(DESTINATIONS):
        found["destination"] = {"$in": sorted(destinations)}
    if query.max_price_cents is not None:
        found["price_cents"] = {"$lte": query.max_price_cents}
    return found


SORTS = {"date": [], "price": [("price_cents", 1)], "-price": [("price_cents", -1)], "seats": [("seats_free", -1)]}


def _follows_seats(query: CatalogQuery) -> bool:
    """A page whose members or order move with every booking: its shape is never cached (the list
    generation moves only when a change can alter the other lists)."""
    return query.sort == "seats" or (query.seats_needed or 1) > 1


def _shape_from_mongo(query: CatalogQuery) -> tuple[dict, list[dict]]:
    """Which launches are on this page, in order, and the total; with their cards as read."""
    now = datetime.now(timezone.utc)
    found = _mongo_filter(query, now)
    cards = _cards()
    skip = (query.page - 1) * query.per_page
    docs = list(cards.find(found).sort(SORTS[query.sort] + [("date", 1), ("launch_id", 1)]).skip(skip).limit(query.per_page))
    # A page that is not full tells the total without a second query.
    total = skip + len(docs) if 0 < len(docs) < query.per_page else cards.count_documents(found)
    return {"slugs": [d["slug"] for d in docs], "total": total}, docs


def _digest(query: CatalogQuery) -> str:
    shape = query.model_dump(mode="json", by_alias=True)
    return hashlib.sha1(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:20]


# One round trip for a cached list page: the list generation, the page's shape under it, and
# each launch's card generation and card. ARGV: key prefix, the page's digest.
_LIST = """
local p = ARGV[1]
local gen = redis.call('GET', p .. 'catalog:list-gen') or '0'
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


def _cached_list(digest: str) -> list | None:
    try:
        return get_redis().eval(_LIST, 0, key(), digest)
    except redis.RedisError:
        _log.warning("catalog cache read failed", extra={"fields": {"page": digest}})
        return None


def _page_json(query: CatalogQuery, items: list[str], total: int) -> str:
    # The cards are JSON already: joined as they are, not parsed and dumped again.
    return (f'{{"items":[{",".join(items)}],"total":{total},"page":{query.page},'
            f'"per_page":{query.per_page}}}')


def search_json(data: CatalogQuery | dict) -> str:
    """The Page envelope as JSON, ready to send. Generations are read before MongoDB is, so a
    page or card built while a projection lands is stored under the generation it belongs to,
    which nobody asks for again."""
    query = parse_query(data)
    digest = _digest(query)
    cached = None if _follows_seats(query) else _cached_list(digest)
    try:
        if cached is not None and len(cached) > 1:
            return _from_shape(query, json.loads(cached[1]), cached[2::2], cached[3::2])
        shape, docs = _shape_from_mongo(query)
    except Exception as exc:
        if store_of(exc) != "mongodb" or (last := _last(key("catalog", "list-last", digest))) is None:
            raise
        return _stale(*last)
    now = datetime.now(timezone.utc)
    items = [to_public(doc, now).model_dump_json() for doc in docs]
    page = _page_json(query, items, shape["total"])
    if cached is not None:  # Redis answered: keep the shape for the next reader
        _set(key("catalog", "list", cached[0], digest), json.dumps(shape), LIST_TTL)
    if cached is not None or _follows_seats(query):  # the copy served while MongoDB is down
        _keep_last(key("catalog", "list-last", digest), page)
    return page


def _from_shape(query: CatalogQuery, shape: dict, generations: list[str], cards: list[str]) -> str:
    """A cached page: its cards from the cache, those not cached read from MongoDB in one query."""
    missing = [slug for slug, card in zip(shape["slugs"], cards) if not card]
    if missing:
        now = datetime.now(timezone.utc)
        fresh = {d["slug"]: to_public(d, now).model_dump_json() for d in _cards().find({"slug": {"$in": missing}})}
        gens = dict(zip(shape["slugs"], generations))
        for slug, card in fresh.items():
            _set(key("catalog", "launch", slug, gens[slug]), card, CARD_TTL)
        cards = [card or fresh.get(slug, "") for slug, card in zip(shape["slugs"], cards)]
    return _page_json(query, [c for c in cards if c], shape["total"])


def _age(body: dict) -> int | None:
    """How old a last known copy is, in seconds; None for a fresh answer."""
    return body.get("age_seconds", 0) if body.get("stale") else None


def search(data: CatalogQuery | dict) -> tuple[list[LaunchCardPublic], int]:
    items, total, _age_seconds = search_with_age(data)
    return items, total


def search_with_age(data: CatalogQuery | dict) -> tuple[list[LaunchCardPublic], int, int | None]:
    """A page of launches, its total, and its age in seconds when it is the last known copy
    (MongoDB down), else None."""
    page = json.loads(search_json(data))
    return [LaunchCardPublic.model_validate(item) for item in page["items"]], page["total"], _age(page)


def upcoming(limit: int = 6) -> list[LaunchCardPublic]:
    """The next launches a visitor can book, soonest first."""
    return search(CatalogQuery(per_page=limit))[0]


# --- one launch --------------------------------------------------------------------------------

def _slug_for(id_or_slug: str) -> str:
    id_or_slug = (id_or_slug or "").strip().lower()
    if len(id_or_slug) > MAX_ID_TEXT:
        raise NotFound("There is no launch at this address.", field="id_or_slug")
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not (id_or_slug.isascii() and id_or_slug.isdigit()):
        return id_or_slug
    # Launch ids are 32-bit: a larger number names no launch (and MongoDB refuses beyond 64 bits).
    if int(id_or_slug) > INT32_MAX:
        raise NotFound("There is no launch with this id.", field="id_or_slug")
    k = key("catalog", "launch-id", id_or_slug)
    slug = _get(k)
    if slug is None:
        doc = _cards().find_one({"launch_id": int(id_or_slug)}, projection={"slug": 1})
        if doc is None:
            raise NotFound("There is no launch with this id.", field="id_or_slug")
        slug = doc["slug"]
        _set(k, slug, ID_TTL)
    return slug


def launch_json(id_or_slug: str) -> str:
    slug = _slug_for(id_or_slug)
    # Under the launch's generation read BEFORE the card: a reader racing a projection can only
    # cache the old card under the old generation, which nobody asks for again.
    k = key("catalog", "launch", slug, card_generation(slug))
    cached = _get(k)
    if cached is not None:
        return cached
    try:
        doc = _cards().find_one({"slug": slug})
    except Exception as exc:
        if store_of(exc) != "mongodb" or (last := _last(key("catalog", "launch-last", slug))) is None:
            raise
        return _stale(*last)
    if doc is None:
        raise NotFound("There is no launch at this address.", field="id_or_slug")
    card = to_public(doc).model_dump_json()
    _set(k, card, CARD_TTL)
    _keep_last(key("catalog", "launch-last", slug), card)
    return card


def get_launch(id_or_slug: str) -> LaunchCardPublic:
    """A launch by id or slug, bookable or not (its page stays up after it flies)."""
    return LaunchCardPublic.model_validate_json(launch_json(id_or_slug))


def launch_with_age(id_or_slug: str) -> tuple[LaunchCardPublic, int | None]:
    """A launch and its age in seconds when it is the last known copy (MongoDB down), else None."""
    body = json.loads(launch_json(id_or_slug))
    return LaunchCardPublic.model_validate(body), _age(body)


def sitemap_entries() -> list[dict]:
    """Every published launch page: [{"slug", "date"}], soonest first."""
    k = key("catalog", "sitemap", list_generation())
    cached = _get(k)
    if cached is not None:
        return json.loads(cached)
    docs = _cards().find({}, projection={"slug": 1, "date": 1}).sort([("date", 1), ("launch_id", 1)])
    entries = [{"slug": d["slug"], "date": _aware(d["date"]).isoformat()} for d in docs]
    _set(k, json.dumps(entries), SITEMAP_TTL)
    return entries
