"""Customer read model: one LaunchCard per launch in the customer database, projected from
PostgreSQL. Idempotent and ordered by version: a card is written only when the launch's version
is newer than the stored one, so replays and out-of-order deliveries change nothing."""
from datetime import datetime

from pymongo.errors import DuplicateKeyError
from sqlmodel import select

from astrobookings.cache import get_redis, key
from astrobookings.db import read_session
from astrobookings.logs import get_logger
from astrobookings.models.agency import Agency, Rocket, RocketRange
from astrobookings.models.base import utcnow
from astrobookings.models.documents import LaunchCard
from astrobookings.models.launch import Launch, LaunchStatus
from astrobookings.mongo import customer_db
from astrobookings.models.reference import DESTINATION_NAMES, SPACEPORTS, as_utc
from services.booking import is_open_for_booking

_log = get_logger("read_model")


def _cards():
    return customer_db()[LaunchCard.collection]


def card_of(launch: Launch, agency: Agency, rocket: Rocket, now: datetime | None = None) -> LaunchCard:
    seats_free = max(launch.seats_offered - launch.seats_sold, 0)
    return LaunchCard(
        _id=str(launch.id), launch_id=launch.id, slug=launch.slug, agency_name=agency.name, rocket_name=rocket.name,
        rocket_range=RocketRange(rocket.range).value, spaceport=launch.spaceport,
        spaceport_name=SPACEPORTS.get(launch.spaceport, launch.spaceport), destination=launch.destination,
        date=as_utc(launch.date), price_cents=launch.price_cents, seats_offered=launch.seats_offered,
        seats_free=seats_free, status=LaunchStatus(launch.status).value, version=launch.version,
        bookable=is_open_for_booking(launch.status, launch.date, seats_free, now),
    )


def store(card: LaunchCard, *, repair: bool = False) -> bool:
    """Write the card if it is newer than the stored one (or, to `repair` it, as new as the stored
    one: a card corrupted at the same version); True when it was written."""
    doc = card.to_mongo()
    doc["destination_name"] = DESTINATION_NAMES.get(card.destination, card.destination)
    doc["projected_at"] = utcnow()
    doc_id = doc.pop("_id")
    try:
        # The filter matches only an older card; with none stored, the upsert inserts. A newer card
        # already there makes the upsert's insert collide on _id, which means "nothing to do".
        result = _cards().update_one({"_id": doc_id, "version": {"$lte" if repair else "$lt": card.version}}, {"$set": doc}, upsert=True)
    except DuplicateKeyError:
        return False
    return bool(result.modified_count or result.upserted_id is not None)


def invalidate(slug: str) -> None:
    """Drop the catalog's cached pages, lists and launch pages alike, by moving the generation
    that every catalog key includes (the old keys expire on their own)."""
    try:
        get_redis().incr(key("catalog", "generation"))
    except Exception:
        # Losing Redis loses no data; the cached pages also expire on their own.
        _log.warning("catalog cache invalidation failed", extra={"fields": {"slug": slug}})


def project_launch(launch_id: int, origin: dict | None = None) -> bool:
    """Re-read the launch from PostgreSQL and project it; True when the card changed. `origin`
    names what caused it (the event, or the sync job), kept on the card."""
    with read_session() as session:
        row = session.exec(select(Launch, Agency, Rocket).join(Agency, Agency.id == Launch.agency_id)
                           .join(Rocket, Rocket.id == Launch.rocket_id).where(Launch.id == launch_id)).first()
    if row is None:
        return False
    card = card_of(*row)
    card.origin = origin or {}
    written = store(card)
    if written:
        invalidate(card.slug)
    return written


def project_all(batch: int = 500) -> dict[str, int]:
    """Re-project every launch (reconciliation, full resync): returns how many were seen and written."""
    seen = written = 0
    last_id = 0
    while True:
        with read_session() as session:
            ids = session.exec(select(Launch.id).where(Launch.id > last_id).order_by(Launch.id).limit(batch)).all()
        if not ids:
            break
        for launch_id in ids:
            seen += 1
            written += project_launch(launch_id)
        last_id = ids[-1]
    return {"launches": seen, "written": written}


def launch_ids_of(envelope) -> list[int]:
    """The launches an event touches: its aggregate if it is a launch, and those it names."""
    ids = set(envelope.event.touched_launches())
    if envelope.aggregate_type == "launch":
        ids.add(int(envelope.aggregate_id))
    return sorted(ids)
