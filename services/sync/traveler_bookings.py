"""Customer read model: each traveler's bookings (one TravelerBooking per booking), projected from
PostgreSQL by the `traveler-bookings` consumer and repaired by reconciliation. A booking row has
no version, so a projection always writes the row as it is now: replays are harmless."""
from sqlmodel import select

from services.core.db import read_session
from services.core.models.base import utcnow
from services.core.models.booking import Booking, BookingStatus
from services.core.models.documents import TravelerBooking
from services.core.models.reference import as_utc
from services.core.mongo import customer_db


def collection():
    return customer_db()[TravelerBooking.collection]


def doc_of(booking: Booking) -> TravelerBooking:
    return TravelerBooking(
        _id=str(booking.id), booking_id=booking.id, traveler_id=booking.traveler_id, launch_id=booking.launch_id,
        seats=booking.seats, amount_cents=booking.amount_cents, refund_cents=booking.refund_cents,
        status=BookingStatus(booking.status).value, created_at=as_utc(booking.created_at),
    )


def store(doc: TravelerBooking) -> None:
    fields = doc.to_mongo()
    fields["projected_at"] = utcnow()
    collection().replace_one({"_id": fields["_id"]}, fields, upsert=True)


def project_booking(booking_id: int, origin: dict | None = None) -> bool:
    with read_session() as session:
        booking = session.get(Booking, booking_id)
    if booking is None:
        return False
    doc = doc_of(booking)
    doc.origin = origin or {}
    store(doc)
    return True
