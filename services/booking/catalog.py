"""The public catalog: launch cards from the customer read model (MongoDB), served through Redis.

Never reads PostgreSQL: visitor and crawler traffic scales apart from the operations database.
The read model's projector bumps the catalog generation after every change, and every key here
carries the generation it was built under; TTLs are a safety net.
Redis being down only makes requests slower: every read falls back to MongoDB.
"""
import hashlib
import json
from datetime import datetime, time, timedelta, timezone

import redis

from astrobookings.cache import get_redis, key
from astrobookings.logs import get_logger
from astrobookings.models.catalog import CatalogQuery, LaunchCardPublic
from astrobookings.models.documents import LaunchCard
from astrobookings.mongo import customer_db
from services.booking.rules import booking_state
from services.kernel.errors import NotFound, ValidationFailed
from astrobookings.models.reference import DESTINATION_NAMES, DESTINATIONS, range_of
from services.kernel.validation import parse

# A card read just before a projection and written back just after it stays stale this long.
CARD_TTL = 10
LIST_TTL = 60
SITEMAP_TTL = 300
ID_TTL = 600
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


def generation() -> str:
    return _get(key("catalog", "generation")) or "0"


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


def _search_uncached(query: CatalogQuery) -> str:
    now = datetime.now(timezone.utc)
    found = _mongo_filter(query, now)
    cards = _cards()
    skip = (query.page - 1) * query.per_page
    docs = list(cards.find(found).sort(SORTS[query.sort] + [("date", 1), ("launch_id", 1)]).skip(skip).limit(query.per_page))
    # A page that is not full tells the total without a second query.
    total = skip + len(docs) if 0 < len(docs) < query.per_page else cards.count_documents(found)
    items = [to_public(doc, now).model_dump(mode="json") for doc in docs]
    return json.dumps({"items": items, "total": total, "page": query.page, "per_page": query.per_page},
                      separators=(",", ":"))


def _list_key(query: CatalogQuery) -> str:
    shape = query.model_dump(mode="json", by_alias=True)
    digest = hashlib.sha1(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:20]
    return key("catalog", "list", generation(), digest)


def search_json(data: CatalogQuery | dict) -> str:
    """The Page envelope as JSON, ready to send: cached pages skip every (de)serialization.
    The key is taken before MongoDB is read, so a page built while a projection lands is stored
    under the generation it belongs to, which nobody asks for again."""
    query = parse_query(data)
    k = _list_key(query)
    cached = _get(k)
    if cached is not None:
        return cached
    page = _search_uncached(query)
    _set(k, page, LIST_TTL)
    return page


def search(data: CatalogQuery | dict) -> tuple[list[LaunchCardPublic], int]:
    page = json.loads(search_json(data))
    return [LaunchCardPublic.model_validate(item) for item in page["items"]], page["total"]


def upcoming(limit: int = 6) -> list[LaunchCardPublic]:
    """The next launches a visitor can book, soonest first."""
    return search(CatalogQuery(per_page=limit))[0]


# --- one launch --------------------------------------------------------------------------------

def _slug_for(id_or_slug: str) -> str:
    id_or_slug = (id_or_slug or "").strip().lower()
    if not id_or_slug.isdigit():
        return id_or_slug
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
    # Under the generation read BEFORE the card: a reader racing a projection can only cache the
    # old card under the old generation, which nobody asks for again.
    k = key("catalog", "launch", generation(), slug)
    cached = _get(k)
    if cached is not None:
        return cached
    doc = _cards().find_one({"slug": slug})
    if doc is None:
        raise NotFound("There is no launch at this address.", field="id_or_slug")
    card = to_public(doc).model_dump_json()
    _set(k, card, CARD_TTL)
    return card


def get_launch(id_or_slug: str) -> LaunchCardPublic:
    """A launch by id or slug, bookable or not (its page stays up after it flies)."""
    return LaunchCardPublic.model_validate_json(launch_json(id_or_slug))


def sitemap_entries() -> list[dict]:
    """Every published launch page: [{"slug", "date"}], soonest first."""
    k = key("catalog", "sitemap", generation())
    cached = _get(k)
    if cached is not None:
        return json.loads(cached)
    docs = _cards().find({}, projection={"slug": 1, "date": 1}).sort([("date", 1), ("launch_id", 1)])
    entries = [{"slug": d["slug"], "date": _aware(d["date"]).isoformat()} for d in docs]
    _set(k, json.dumps(entries), SITEMAP_TTL)
    return entries
