"""Search the public catalog: a page of launch cards a visitor can still book, by destination,
range, date window, price and seats, sorted. A page is served from its cached shape and each
launch's cached card (services/booking/catalog_cache.py), else built from the read model.
"""
import hashlib
import json
from datetime import datetime, time, timedelta, timezone

from services.booking import catalog, catalog_cache
from services.core.breaker import store_of
from services.core.cache import key
from services.core.models.catalog import CatalogQuery, LaunchCardPublic
from services.core.models.reference import DESTINATIONS, range_of
from services.kernel.errors import ValidationFailed
from services.kernel.validation import parse


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
    """A page whose members or order move with every booking: its shape is cached under the seats
    generation too (services/booking/catalog_cache.py)."""
    return query.sort == "seats" or (query.seats_needed or 1) > 1


def _shape_from_mongo(query: CatalogQuery) -> tuple[dict, list[dict]]:
    """Which launches are on this page, in order, and the total; with their cards as read."""
    now = datetime.now(timezone.utc)
    found = _mongo_filter(query, now)
    cards = catalog.cards()
    skip = (query.page - 1) * query.per_page
    docs = list(cards.find(found).sort(SORTS[query.sort] + [("date", 1), ("launch_id", 1)]).skip(skip).limit(query.per_page))
    # A page that is not full tells the total without a second query.
    total = skip + len(docs) if 0 < len(docs) < query.per_page else cards.count_documents(found)
    return {"slugs": [d["slug"] for d in docs], "total": total}, docs


def _digest(query: CatalogQuery) -> str:
    shape = query.model_dump(mode="json", by_alias=True)
    return hashlib.sha1(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:20]


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
    cached = catalog_cache.cached_list(digest, _follows_seats(query))
    try:
        if cached is not None and len(cached) > 1:
            return _from_shape(query, json.loads(cached[1]), cached[2::2], cached[3::2])
        shape, docs = _shape_from_mongo(query)
    except Exception as exc:
        if store_of(exc) != "mongodb" or (last := catalog_cache.last_known(key("catalog", "list-last", digest))) is None:
            raise
        return catalog_cache.stale(*last)
    now = datetime.now(timezone.utc)
    items = [catalog.to_public(doc, now).model_dump_json() for doc in docs]
    page = _page_json(query, items, shape["total"])
    if cached is not None:  # Redis answered: the shape for the next reader, the copy for an outage
        catalog_cache.write(key("catalog", "list", cached[0], digest), json.dumps(shape), catalog_cache.LIST_TTL)
        catalog_cache.keep_last(key("catalog", "list-last", digest), page)
    return page


def _from_shape(query: CatalogQuery, shape: dict, generations: list[str], cards: list[str]) -> str:
    """A cached page: its cards from the cache, those not cached read from MongoDB in one query."""
    missing = [slug for slug, card in zip(shape["slugs"], cards) if not card]
    if missing:
        now = datetime.now(timezone.utc)
        fresh = {d["slug"]: catalog.to_public(d, now).model_dump_json() for d in catalog.cards().find({"slug": {"$in": missing}})}
        gens = dict(zip(shape["slugs"], generations))
        for slug, card in fresh.items():
            catalog_cache.write(key("catalog", "launch", slug, gens[slug]), card, catalog_cache.CARD_TTL)
        cards = [card or fresh.get(slug, "") for slug, card in zip(shape["slugs"], cards)]
    return _page_json(query, [c for c in cards if c], shape["total"])


def search(data: CatalogQuery | dict) -> tuple[list[LaunchCardPublic], int]:
    items, total, _age_seconds = search_with_age(data)
    return items, total


def search_with_age(data: CatalogQuery | dict) -> tuple[list[LaunchCardPublic], int, int | None]:
    """A page of launches, its total, and its age in seconds when it is the last known copy
    (MongoDB down), else None."""
    page = json.loads(search_json(data))
    return [LaunchCardPublic.model_validate(item) for item in page["items"]], page["total"], catalog_cache.age_of(page)


def upcoming(limit: int = 6) -> list[LaunchCardPublic]:
    """The next launches a visitor can book, soonest first."""
    return search(CatalogQuery(per_page=limit))[0]
