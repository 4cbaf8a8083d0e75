"""Travelers cancel their bookings: refunded by the bands of services/booking/rules.py. The refund
is a pending row written in the cancellation's transaction; the refunds consumer pays it
(services/booking/refunds.py)."""
from datetime import datetime, timezone

from sqlmodel import select

from services.booking import refunds, rules
from services.booking.events import BookingCancelled
from services.booking.holds import launch_gate
from services.booking.views import present, value
from services.core.db import read_session, unit_of_work
from services.core.models import Agency, Booking, BookingStatus, Launch, Passenger, Rocket
from services.core.models.booking import BookingCancel, BookingPublic, Refund
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, NotFound
from services.kernel.validation import parse


def _launch_row(session, launch_id: int, lock: bool = False):
    query = (select(Launch, Rocket.name, Agency.name).join(Rocket, Rocket.id == Launch.rocket_id)
             .join(Agency, Agency.id == Launch.agency_id).where(Launch.id == launch_id))
    if lock:
        query = query.with_for_update(of=Launch)
    return session.exec(query).first()


def cancel_booking(actor: Actor, booking_id: int, data: BookingCancel | dict | None = None, *,
                   now: datetime | None = None) -> BookingPublic:
    """Cancel and refund by the bands; with no refund the seats stay sold (they are not resold).
    The refund is a pending row written with the cancellation, paid by the refunds consumer."""
    actor.require("traveler")
    request = parse(BookingCancel, data or {})
    with read_session() as session:
        launch_id = session.exec(select(Booking.launch_id).where(
            Booking.id == booking_id, Booking.traveler_id == actor.user_id)).first()
    if launch_id is None:
        raise NotFound("There is no booking with this id.", field="id")
    with launch_gate(launch_id), unit_of_work() as session:
        launch, rocket_name, agency_name = _launch_row(session, launch_id, lock=True)
        booking = session.exec(select(Booking).where(Booking.id == booking_id).with_for_update()).one()
        now = now or datetime.now(timezone.utc)
        _check_cancellable(booking, launch, now)
        quote = rules.cancel_quote(booking.amount_cents, booking.seats, now, launch.date)
        if request.expected_refund_cents is not None and request.expected_refund_cents != quote.refund_cents:
            raise Conflict(f"The refund is now {rules.format_usd(quote.refund_cents)} ({quote.refund_percent}%). "
                           "Check it and confirm again.", field="expected_refund_cents", code="quote_changed")
        booking.status = BookingStatus.cancelled
        booking.refund_cents, booking.refund_percent, booking.cancelled_at = quote.refund_cents, quote.refund_percent, now
        refund: Refund | None = refunds.write(session, booking, quote.refund_cents, "cancelled") if quote.refund_cents else None
        if quote.seats_return_to_sale:
            launch.seats_sold = max(launch.seats_sold - booking.seats, 0)
        launch.version += 1
        launch.updated_at = now
        session.add_all([booking, launch])
        outbox.record(session, BookingCancelled(booking_id=booking.id, launch_id=launch.id, seats=booking.seats,
                                                refund_id=refund.id if refund else None, refund_cents=quote.refund_cents,
                                                refund_percent=quote.refund_percent,
                                                seats_returned=quote.seats_return_to_sale), actor, version=launch.version)
        passengers = list(session.exec(select(Passenger).where(Passenger.booking_id == booking.id).order_by(Passenger.id)))
    return present(booking, passengers, launch, rocket_name, agency_name, now, refund)


def _check_cancellable(booking: Booking, launch: Launch, now: datetime) -> None:
    if value(booking.status) == "cancelled":
        raise Conflict("This booking is already cancelled.", field="id", code="already_cancelled")
    if value(booking.status) != "confirmed":
        raise Conflict("This booking is not paid, so there is nothing to cancel.", field="id", code="not_cancellable")
    status = value(launch.status)
    if status == "aborted":
        raise Conflict("This launch was aborted: every booking on it is refunded in full, so there is nothing to cancel.",
                       field="id", code="not_cancellable")
    if not rules.is_ahead(status, launch.date, now):
        raise Conflict("This launch has already taken place: the booking can no longer be cancelled.",
                       field="id", code="not_cancellable")
