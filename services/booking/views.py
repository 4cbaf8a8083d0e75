"""Reading bookings: a traveler's own, each with its launch as it stands now (a delay's new
date, an abort's reason), its refund (pending until the gateway paid it, then paid) and what
cancelling it now would refund. A hold that ended unpaid is not a booking the traveler has: it
is listed only if a charge for it was found and refunded."""
from datetime import datetime, timezone

from sqlalchemy import func, or_, true
from sqlmodel import select

from services.core.db import read_session
from services.core.models import Agency, Booking, BookingStatus, Launch, Passenger, Refund, Rocket
from services.core.models.booking import BookingLaunch, BookingPublic, CancelQuotePublic, PassengerPublic
from services.booking import rules
from services.kernel.actor import Actor
from services.booking.catalog import display_name
from services.kernel.errors import NotFound
from services.core.models.reference import DESTINATION_NAMES, SPACEPORTS


def value(enum_or_str) -> str:
    return getattr(enum_or_str, "value", enum_or_str)


def get_booking(actor: Actor, booking_id: int) -> BookingPublic:
    """One of the actor's own bookings; anyone else's is reported as missing, not forbidden. The
    system (the notify consumer attaching a receipt) reads any."""
    actor.require("traveler", "system")
    with read_session() as session:
        row = session.exec(_bookings_query(actor).where(Booking.id == booking_id)).first()
        if row is None:
            raise NotFound("There is no booking with this id.", field="id")
        passengers = _passengers_of(session, [booking_id])
    return present(*_unpack(row, passengers))


def list_bookings(actor: Actor, *, page: int = 1, per_page: int = 10) -> tuple[list[BookingPublic], int]:
    """The actor's bookings, newest first, each with its launch as it stands now."""
    actor.require("traveler")
    page, per_page = max(page, 1), min(max(per_page, 1), 100)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Booking).outerjoin(Refund, Refund.booking_id == Booking.id)
                             .where(Booking.traveler_id == actor.user_id, _listed())).one()
        rows = session.exec(_bookings_query(actor).where(_listed()).order_by(Booking.created_at.desc(), Booking.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
        passengers = _passengers_of(session, [r[0].id for r in rows])
    return [present(*_unpack(r, passengers)) for r in rows], total


def _bookings_query(actor: Actor):
    return (select(Booking, Launch, Rocket.name, Agency.name, Refund).join(Launch, Launch.id == Booking.launch_id)
            .join(Rocket, Rocket.id == Launch.rocket_id).join(Agency, Agency.id == Launch.agency_id)
            .outerjoin(Refund, Refund.booking_id == Booking.id)
            .where(true() if actor.role == "system" else Booking.traveler_id == actor.user_id))


def _listed():
    return or_(Booking.status != BookingStatus.released, Refund.id.is_not(None))


def _passengers_of(session, booking_ids: list[int]) -> dict[int, list[Passenger]]:
    found: dict[int, list[Passenger]] = {i: [] for i in booking_ids}
    if booking_ids:
        for p in session.exec(select(Passenger).where(Passenger.booking_id.in_(booking_ids)).order_by(Passenger.id)):
            found[p.booking_id].append(p)
    return found


def _unpack(row, passengers: dict[int, list[Passenger]]):
    booking, launch, rocket_name, agency_name, refund = row
    return booking, passengers.get(booking.id, []), launch, rocket_name, agency_name, datetime.now(timezone.utc), refund


def _cancellable(booking: Booking, launch: Launch, now: datetime) -> bool:
    return value(booking.status) == "confirmed" and rules.is_ahead(value(launch.status), launch.date, now)


def present(booking: Booking, passengers: list[Passenger], launch: Launch, rocket_name: str,
            agency_name: str, now: datetime, refund: Refund | None = None) -> BookingPublic:
    quote = None
    if _cancellable(booking, launch, now):
        q = rules.cancel_quote(booking.amount_cents, booking.seats, now, launch.date)
        quote = CancelQuotePublic(refund_percent=q.refund_percent, refund_cents=q.refund_cents,
                                  seats_return_to_sale=q.seats_return_to_sale, message=q.message,
                                  terms=list(q.terms))
    return BookingPublic(
        id=booking.id, launch_id=booking.launch_id, status=booking.status, seats=booking.seats,
        amount_cents=booking.amount_cents, refund_cents=refund.amount_cents if refund else booking.refund_cents,
        refund_percent=booking.refund_percent,
        payment_ref=booking.payment_ref, refund_ref=refund.gateway_ref if refund else None,
        refund_status=refund.status if refund else None, created_at=booking.created_at,
        cancelled_at=booking.cancelled_at,
        passengers=[PassengerPublic(id=p.id, name=p.name, email=p.email, phone=p.phone, birth_date=p.birth_date)
                    for p in passengers],
        launch=BookingLaunch(
            id=launch.id, slug=launch.slug, name=display_name(rocket_name, launch.destination),
            status=value(launch.status), date=launch.date, destination=launch.destination,
            destination_name=DESTINATION_NAMES.get(launch.destination, launch.destination),
            spaceport=launch.spaceport, spaceport_name=SPACEPORTS.get(launch.spaceport, launch.spaceport),
            rocket_name=rocket_name, agency_name=agency_name, price_cents=launch.price_cents,
            abort_reason=launch.abort_reason),
        cancel_quote=quote, traveler_email=booking.traveler_email,
    )
