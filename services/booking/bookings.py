"""Travelers book seats and cancel them. Money never moves while a lock is held.

A booking is three steps:

1. hold, one short transaction under the launch row lock (SELECT ... FOR UPDATE): the traveler's
   position, the rules against the seats actually taken, then a `held` booking with its passengers
   and the launch's seats_sold in one statement. Held seats count as taken, so concurrent buyers
   can never overbook; the lock is held for milliseconds whatever the gateway does.
2. charge the card, outside any transaction, with the booking's gateway idempotency key.
3. confirm, a second short transaction on the booking row alone (the launch's seats are already
   counted). A declined card or a failed gateway releases the hold at once; a hold whose process
   died after the charge expires and is released, and its charge refunded (services/booking/holds.py).

This module runs the three steps; the hold's own statements are in services/booking/holds.py,
cancelling in services/booking/cancellations.py.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from services.auth import normalize_email
from services.booking import holds, refunds, rules
from services.booking.events import BookingConfirmed
from services.booking.holds import Replay, charge_key
from services.booking.views import get_booking, list_bookings, present, value  # noqa: F401  (the API reads here)
from services.core.db import one_statement, read_session
from services.core.models import Booking, BookingStatus, Launch
from services.core.models.booking import BookingCreate, BookingPublic, PassengerCreate
from services.kernel import outbox, payments
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, PaymentDeclined, ServiceUnavailable, ValidationFailed
from services.kernel.payments import GatewayUnavailable, Receipt, gateway
from services.kernel.validation import parse


@dataclass(frozen=True)
class SeatAllowance:
    held: int
    vip: bool
    limit: int
    allowed: int


def _clean_passengers(order: BookingCreate) -> list[PassengerCreate]:
    cleaned = []
    for i, p in enumerate(order.passengers):
        email = normalize_email(p.email, field=f"passengers.{i}.email")
        cleaned.append(PassengerCreate(name=p.name.strip(), email=email, phone=p.phone.strip(), birth_date=p.birth_date))
    return cleaned


def seat_allowance(actor: Actor, launch_id: int) -> SeatAllowance:
    """How many seats this traveler may still book on a launch (the booking page's seat picker)."""
    actor.require("traveler")
    with read_session() as session:
        held, trips, _ = session.execute(holds.POSITION, {"launch": launch_id, "key": None, "traveler": actor.user_id}).one()
    vip = rules.is_vip(trips)
    return SeatAllowance(held, vip, rules.seat_limit(vip), rules.seats_allowed(held, vip))


def create_booking(actor: Actor, data: BookingCreate | dict, idempotency_key: str | None = None, *,
                   now: datetime | None = None) -> tuple[BookingPublic, bool]:
    """Book one seat per passenger. Returns (booking, created); a replayed key returns the first.
    `now` is the clock the rules read (demo history is booked in the past); default: now."""
    actor.require("traveler")
    order = parse(BookingCreate, data)
    passengers = _clean_passengers(order)
    payments.check_card(order.payment.card_number)
    key = rules.clean_idempotency_key(idempotency_key)
    digest = rules.order_hash(order.launch_id, passengers)
    try:
        hold = holds.place(actor, order.launch_id, passengers, key, digest, now)
    except Replay as replay:
        return _replay(actor, replay.booking_id, digest, order.payment.card_number), False
    except IntegrityError as exc:
        # Same key, racing on another launch's lock: the unique index lets only the first in.
        if "idempotency_key" not in str(exc.orig) or key is None:
            raise
        first = _booking_id_for_key(actor.user_id, key)
        if first is None:
            raise
        return _replay(actor, first, digest, order.payment.card_number), False
    receipt = _charge(actor, hold.booking, order.payment.card_number, hold.launch.slug)
    booking = _confirm(actor, hold.booking, receipt)
    if booking is None:
        return get_booking(actor, hold.booking.id), True
    launch = hold.launch
    return present(booking, hold.passengers, launch, launch.rocket_name, launch.agency_name, hold.now), True


def _charge(actor: Actor, booking: Booking, card_number: str, slug: str) -> Receipt:
    """Charge the card for a held booking, outside any lock. A decline or a gateway failure
    releases the hold before the error goes back to the traveler."""
    try:
        return gateway().charge(card_number, booking.amount_cents, f"{booking.seats} seat(s) on {slug}",
                                charge_key(booking.id))
    except PaymentDeclined:
        holds.release(booking.id, booking.launch_id, "declined", actor, charge_unknown=False)
        raise
    except Exception as exc:
        # Nobody knows whether the card was charged: the release says so, and the refunds
        # consumer asks the gateway and refunds a charge if there was one.
        holds.release(booking.id, booking.launch_id, "payment_failed", actor, charge_unknown=True)
        if isinstance(exc, GatewayUnavailable):
            raise ServiceUnavailable("The payment service did not answer, so nothing was booked. If your card was "
                                     "charged, the charge is refunded automatically. Please try again.") from exc
        raise


# The confirmation and its event in one round trip; no event when the hold is no longer held.
_CONFIRM = text(f"""
    with b as (
        update booking set status = 'confirmed', payment_ref = :ref, hold_expires_at = null
        where id = :id and status = 'held'
        returning id)
    {outbox.EVENT_INSERT} select {outbox.EVENT_COLUMNS} from b
    returning id
""")


def _confirm(actor: Actor, booking: Booking, receipt: Receipt) -> Booking | None:
    """Confirm a charged hold: the booking row alone, no launch lock. Returns the booking, or None
    when a retry of the same request confirmed it first. A hold released meanwhile (expired, or
    its launch aborted) gets its charge refunded, and the traveler is told."""
    event = BookingConfirmed(booking_id=booking.id, launch_id=booking.launch_id, seats=booking.seats,
                             amount_cents=booking.amount_cents, payment_ref=receipt.reference)
    with one_statement() as conn:
        confirmed = conn.execute(_CONFIRM, {"id": booking.id, "ref": receipt.reference,
                                            **outbox.event_params(event, actor)}).first()
    if confirmed is not None:
        outbox.nudge()
        booking.status, booking.payment_ref, booking.hold_expires_at = BookingStatus.confirmed, receipt.reference, None
        return booking
    with read_session() as session:
        status = value(session.exec(select(Booking.status).where(Booking.id == booking.id)).one())
    if status == "confirmed":
        return None
    refunds.refund_late_charge(booking.id, receipt)
    raise Conflict("Your seats were released before the payment went through (the hold expired or the launch was "
                   "aborted), so nothing was booked; the charge is refunded in full.", field="launch_id", code="hold_released")


def _replay(actor: Actor, booking_id: int, digest: str, card_number: str) -> BookingPublic:
    """The booking an Idempotency-Key already made. The same key with another order is refused; a
    booking still held (its first request died or is still paying) is paid and confirmed now: the
    gateway key makes sure the card is charged once."""
    with read_session() as session:
        booking = session.exec(select(Booking).where(Booking.id == booking_id, Booking.traveler_id == actor.user_id)).one()
        slug = session.exec(select(Launch.slug).where(Launch.id == booking.launch_id)).one()
    if booking.request_hash and booking.request_hash != digest:
        raise ValidationFailed("This Idempotency-Key was already used for a different booking request; "
                               "use a new key for a new booking.", field="Idempotency-Key", code="idempotency_key_reused")
    if booking.status == BookingStatus.held:
        _confirm(actor, booking, _charge(actor, booking, card_number, slug))
    return get_booking(actor, booking_id)


def _booking_id_for_key(traveler_id: str, key: str) -> int | None:
    with read_session() as session:
        return session.exec(select(Booking.id).where(Booking.traveler_id == traveler_id,
                                                     Booking.idempotency_key == key)).first()
