"""Reconciliation and resync: compare PostgreSQL with the customer read model in chunks of ids,
and repair what differs.

Each projection (launch cards, traveler bookings) is walked by id: a chunk reads the next `limit`
rows after the last id done, builds what the read model should hold for them, reads the stored
documents of the same id range, and sorts the difference into missing (no document), orphan (a
document with no row) and differing (a compared field differs). The last chunk's range is open,
so orphans beyond the last row are found too. Memory holds one chunk at a time, however many
launches and bookings there are.

A repair writes the document as PostgreSQL has it (a card only over one no newer than the row, so a
fresher projection by the consumer is never overwritten) and deletes orphans. A full resync
rewrites every document of the chunk; a reconciliation only the ones that differ.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlmodel import select

from services.core.db import read_session
from services.core.logs import get_logger
from services.core.models.agency import Agency, Rocket
from services.core.models.base import utcnow
from services.core.models.booking import Booking
from services.core.models.launch import Launch
from services.sync import read_model, traveler_bookings

_log = get_logger("reconcile")

CARD_FIELDS = ("launch_id", "slug", "agency_name", "rocket_name", "rocket_range", "spaceport", "spaceport_name",
               "destination", "date", "price_cents", "seats_offered", "seats_free", "status", "version", "bookable")
BOOKING_FIELDS = ("booking_id", "traveler_id", "launch_id", "seats", "amount_cents", "refund_cents", "status",
                  "created_at")


def _comparable(value: Any) -> Any:
    # MongoDB keeps milliseconds; PostgreSQL microseconds. Compare what both can hold.
    if isinstance(value, datetime):
        value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def differing_fields(expected: dict, stored: dict, fields: Iterable[str]) -> list[str]:
    """The compared fields whose stored value is not the expected one."""
    return [f for f in fields if _comparable(expected.get(f)) != _comparable(stored.get(f))]


@dataclass
class Diff:
    missing: list[str] = field(default_factory=list)
    orphan: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.orphan) + len(self.differing)


def diff(expected: dict[str, dict], stored: dict[str, dict], fields: Iterable[str]) -> Diff:
    """Sort one chunk's documents: expected (from PostgreSQL) against stored (the read model's)."""
    fields = tuple(fields)
    result = Diff()
    for doc_id, doc in expected.items():
        if doc_id not in stored:
            result.missing.append(doc_id)
        elif differing_fields(doc, stored[doc_id], fields):
            result.differing.append(doc_id)
    result.orphan = [doc_id for doc_id in stored if doc_id not in expected]
    return result


@dataclass
class Projection:
    """One kind of read-model document: how to read its rows after an id, the stored documents of
    an id range, and how to write one."""
    name: str
    fields: tuple[str, ...]
    read_rows: Callable[[int, int], list[tuple[int, Any]]]   # (after, limit) -> [(id, model)]
    stored_range: Callable[[int, int | None], dict[str, dict]]  # (after, up_to or None) -> {id: doc}
    write: Callable[[Any, dict], None]                         # (model, origin)
    delete: Callable[[list[str]], None]
    count_rows: Callable[[], int]


@dataclass
class ChunkResult:
    processed: int
    last_id: int
    finished: bool
    diff: Diff
    repaired: list[str]
    errors: int


def run_chunk(projection: Projection, after: int, limit: int, *, rewrite_all: bool, origin: dict) -> ChunkResult:
    rows = projection.read_rows(after, limit)
    finished = len(rows) < limit
    last_id = rows[-1][0] if rows else after
    stored = projection.stored_range(after, None if finished else last_id)
    expected = {str(row_id): model for row_id, model in rows}
    found = diff({k: m.to_mongo() for k, m in expected.items()}, stored, projection.fields)
    to_write = list(expected) if rewrite_all else found.missing + found.differing
    repaired, errors = [], 0
    broken = set(found.missing) | set(found.differing)
    for doc_id in to_write:
        try:
            projection.write(expected[doc_id], origin)
            if doc_id in broken:
                repaired.append(doc_id)
        except Exception:
            errors += 1
            _log.exception("repair failed", extra={"fields": {"projection": projection.name, "id": doc_id}})
    if found.orphan:
        try:
            projection.delete(found.orphan)
            repaired.extend(found.orphan)
        except Exception:
            errors += len(found.orphan)
            _log.exception("orphan removal failed", extra={"fields": {"projection": projection.name}})
    return ChunkResult(len(rows), last_id, finished, found, repaired, errors)


def _id_range(key: str, after: int, up_to: int | None) -> dict:
    bounds = {"$gt": after}
    if up_to is not None:
        bounds["$lte"] = up_to
    return {key: bounds}


def _launch_rows(after: int, limit: int) -> list[tuple[int, Any]]:
    now = utcnow()
    with read_session() as session:
        rows = session.exec(select(Launch, Agency, Rocket).join(Agency, Agency.id == Launch.agency_id)
                            .join(Rocket, Rocket.id == Launch.rocket_id).where(Launch.id > after)
                            .order_by(Launch.id).limit(limit)).all()
    return [(launch.id, read_model.card_of(launch, agency, rocket, now)) for launch, agency, rocket in rows]


def _stored_cards(after: int, up_to: int | None) -> dict[str, dict]:
    cursor = read_model._cards().find(_id_range("launch_id", after, up_to), projection=list(CARD_FIELDS))
    return {doc["_id"]: doc for doc in cursor}


def _write_card(card, origin: dict) -> None:
    card.origin = origin
    if read_model.store(card, repair=True):
        read_model.invalidate(card.slug)


def _count(model) -> Callable[[], int]:
    def count() -> int:
        from sqlalchemy import func
        with read_session() as session:
            return session.exec(select(func.count()).select_from(model)).one()
    return count


def _booking_rows(after: int, limit: int) -> list[tuple[int, Any]]:
    with read_session() as session:
        rows = session.exec(select(Booking).where(Booking.id > after).order_by(Booking.id).limit(limit)).all()
    return [(b.id, traveler_bookings.doc_of(b)) for b in rows]


def _stored_bookings(after: int, up_to: int | None) -> dict[str, dict]:
    cursor = traveler_bookings.collection().find(_id_range("booking_id", after, up_to), projection=list(BOOKING_FIELDS))
    return {doc["_id"]: doc for doc in cursor}


def _write_booking(doc, origin: dict) -> None:
    doc.origin = origin
    traveler_bookings.store(doc)


LAUNCH_CARDS = Projection("launch_cards", CARD_FIELDS, _launch_rows, _stored_cards, _write_card,
                          lambda ids: read_model._cards().delete_many({"_id": {"$in": ids}}), _count(Launch))
TRAVELER_BOOKINGS = Projection("traveler_bookings", BOOKING_FIELDS, _booking_rows, _stored_bookings, _write_booking,
                               lambda ids: traveler_bookings.collection().delete_many({"_id": {"$in": ids}}),
                               _count(Booking))
PROJECTIONS = (LAUNCH_CARDS, TRAVELER_BOOKINGS)
