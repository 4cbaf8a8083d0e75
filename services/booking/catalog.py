"""The public catalog: launch cards from the customer read model (MongoDB), served through Redis.

Never reads PostgreSQL: visitor and crawler traffic scales apart from the operations database.
Here: a card as the public sees it, one launch by id or slug, and the sitemap's entries. Lists
and search: services/booking/catalog_search.py; the cache and its last known copies:
services/booking/catalog_cache.py (bench/catalog.py measures them).
"""
import json
from datetime import datetime, timezone

from services.core.breaker import store_of
from services.core.cache import key
from services.core.models.bounds import INT32_MAX, MAX_ID_TEXT
from services.core.models.catalog import LaunchCardPublic
from services.core.models.documents import LaunchCard
from services.core.mongo import customer_db
from services.booking import catalog_cache
from services.booking.rules import booking_state
from services.core.models.reference import DESTINATION_NAMES
from services.kernel.errors import NotFound


def display_name(rocket_name: str, destination: str) -> str:
    return f"{rocket_name} to {DESTINATION_NAMES.get(destination, destination)}"


def launch_path(slug: str) -> str:
    return f"/launches/{slug}"


def cards():
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
    slug = catalog_cache.read(k)
    if slug is None:
        doc = cards().find_one({"launch_id": int(id_or_slug)}, projection={"slug": 1})
        if doc is None:
            raise NotFound("There is no launch with this id.", field="id_or_slug")
        slug = doc["slug"]
        catalog_cache.write(k, slug, catalog_cache.ID_TTL)
    return slug


def launch_json(id_or_slug: str) -> str:
    slug = _slug_for(id_or_slug)
    # Under the launch's generation read BEFORE the card: a reader racing a projection can only
    # cache the old card under the old generation, which nobody asks for again.
    k = key("catalog", "launch", slug, catalog_cache.card_generation(slug))
    cached = catalog_cache.read(k)
    if cached is not None:
        return cached
    try:
        doc = cards().find_one({"slug": slug})
    except Exception as exc:
        if store_of(exc) != "mongodb" or (last := catalog_cache.last_known(key("catalog", "launch-last", slug))) is None:
            raise
        return catalog_cache.stale(*last)
    if doc is None:
        raise NotFound("There is no launch at this address.", field="id_or_slug")
    card = to_public(doc).model_dump_json()
    catalog_cache.write(k, card, catalog_cache.CARD_TTL)
    catalog_cache.keep_last(key("catalog", "launch-last", slug), card)
    return card


def get_launch(id_or_slug: str) -> LaunchCardPublic:
    """A launch by id or slug, bookable or not (its page stays up after it flies)."""
    return LaunchCardPublic.model_validate_json(launch_json(id_or_slug))


def launch_with_age(id_or_slug: str) -> tuple[LaunchCardPublic, int | None]:
    """A launch and its age in seconds when it is the last known copy (MongoDB down), else None."""
    body = json.loads(launch_json(id_or_slug))
    return LaunchCardPublic.model_validate(body), catalog_cache.age_of(body)


def sitemap_entries() -> list[dict]:
    """Every published launch page: [{"slug", "date"}], soonest first."""
    k = key("catalog", "sitemap", catalog_cache.list_generation())
    cached = catalog_cache.read(k)
    if cached is not None:
        return json.loads(cached)
    docs = cards().find({}, projection={"slug": 1, "date": 1}).sort([("date", 1), ("launch_id", 1)])
    entries = [{"slug": d["slug"], "date": _aware(d["date"]).isoformat()} for d in docs]
    catalog_cache.write(k, json.dumps(entries), catalog_cache.SITEMAP_TTL)
    return entries
