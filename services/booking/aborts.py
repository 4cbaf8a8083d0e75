"""What an aborted launch does to its bookings, inside the agency's abort transaction (which holds
the launch row lock): every paid booking is cancelled with a pending refund in full, every hold is
released. No money moves here; the refunds consumer pays after the commit."""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from services.core.models.base import utcnow
from services.core.models.booking import Booking, BookingStatus
from services.booking import refunds


@dataclass(frozen=True)
class AbortOutcome:
    cancelled_booking_ids: list[int]
    refund_ids: list[int]
    released_booking_ids: list[int]
    refunded_cents: int
    seats_freed: int


def cancel_for_aborted_launch(session: Session, launch_id: int, *, now: datetime | None = None) -> AbortOutcome:
    """Cancel the launch's paid bookings (full refunds, pending) and release its holds. The caller
    holds the launch row lock and takes `seats_freed` off the launch's seats sold."""
    now = now or utcnow()
    bookings = session.exec(select(Booking).where(Booking.launch_id == launch_id,
                                                  Booking.status.in_([BookingStatus.confirmed, BookingStatus.held]))
                            .order_by(Booking.id).with_for_update()).all()
    cancelled, refund_ids, released, refunded, seats = [], [], [], 0, 0
    for booking in bookings:
        seats += booking.seats
        if booking.status == BookingStatus.held:
            # Its charge may be in flight: the confirmation will find it released and refund it,
            # and the refunds consumer asks the gateway about it too (whichever comes first writes
            # the one refund row).
            booking.status, booking.release_reason, booking.released_at = BookingStatus.released, "aborted", now
            booking.hold_expires_at, booking.idempotency_key = None, None
            released.append(booking.id)
        else:
            booking.refund_cents, booking.refund_percent = booking.amount_cents, 100
            booking.status, booking.cancelled_at = BookingStatus.cancelled, now
            if booking.amount_cents:
                refund_ids.append(refunds.write(session, booking, booking.amount_cents, "aborted").id)
            refunded += booking.amount_cents
            cancelled.append(booking.id)
        session.add(booking)
    return AbortOutcome(cancelled, refund_ids, released, refunded, seats)
