"""Customer read model: one LaunchCard per launch in the customer database, projected from
PostgreSQL. Idempotent and ordered by version: a card is written only when the launch's version
is newer than the stored one, so replays and out-of-order deliveries change nothing."""
from datetime import datetime

from pymongo.errors import DuplicateKeyError
from sqlmodel import select

from services.core.cache import get_redis, key
from services.core.db import read_session
from services.core.logs import get_logger
from services.core.models.agency import Agency, Rocket, RocketRange
from services.core.models.base import utcnow
from services.core.models.documents import LaunchCard
from services.core.models.launch import Launch, LaunchStatus
from services.core.mongo import customer_db
from services.core.models.reference import DESTINATION_NAMES, SPACEPORTS, as_utc
from services.booking import is_open_for_booking, launch_changed

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


# What decides which list pages a launch is on, and where: a change to any of these can change a
# list's members or order (seats matter only as "any left or not").
_LIST_FIELDS = ("slug", "bookable", "date", "destination", "price_cents", "status")


def lists_change(before: dict | None, after: LaunchCard) -> bool:
    if before is None:
        return True
    now = after.to_mongo()
    return (any(before.get(f) != now.get(f) for f in _LIST_FIELDS if f != "date")
            or as_utc(before.get("date")) != as_utc(after.date)
            or (before.get("seats_free", 0) > 0) != (after.seats_free > 0))


def seats_change(before: dict | None, after: LaunchCard) -> bool:
    return before is None or before.get("seats_free") != after.seats_free


def invalidate(slug: str, lists_too: bool = True, seats_too: bool = True) -> None:
    """Drop the launch's cached card, and the cached list pages when they may change."""
    launch_changed(slug, lists_too, seats_too)


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
    before = _cards().find_one({"_id": str(launch_id)}, projection=dict.fromkeys((*_LIST_FIELDS, "seats_free"), 1))
    written = store(card)
    if written:
        invalidate(card.slug, lists_change(before, card), seats_change(before, card))
        if before is not None and before.get("slug") not in (None, card.slug):
            invalidate(before["slug"], True)  # the launch's old address shows the new card too
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
