"""Travelers book seats and cancel them. PostgreSQL decides, under the launch row lock.

A booking is one transaction. Before the lock: the booking's id and its outbox event. Under the
lock (SELECT ... FOR UPDATE on the launch): the traveler's position, the rules against the seats
actually sold, the card charge, then booking, passengers and the launch's seats_sold and version
in one statement, and the commit. Concurrent buyers queue on the lock, so they can never
overbook; a declined card raises before the commit, so nothing is written.
"""
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select as sa_select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from astrobookings.db import read_session, unit_of_work
from astrobookings.logs import get_logger
from astrobookings.models import Agency, Booking, BookingStatus, Launch, Passenger, Rocket
from astrobookings.models.booking import BookingCancel, BookingCreate, BookingPublic, PassengerCreate
from services import outbox, security
from services import booking_rules as rules
from services.actor import Actor
from services.booking_views import get_booking, list_bookings, present, value  # noqa: F401  (the API reads here)
from services.errors import Conflict, NotFound
from services.payments import Receipt, gateway
from services.validation import parse

_log = get_logger("bookings")

# One round trip under the lock: seats this traveler holds here, earlier trips (for VIP), and a
# booking already made with this idempotency key (a retry that raced the first attempt).
_POSITION = text("""
    select coalesce(sum(seats) filter (where launch_id = :launch and status = 'confirmed'), 0),
           count(distinct launch_id) filter (where launch_id <> :launch and status = 'confirmed'),
           max(id) filter (where idempotency_key = :key)
    from booking where traveler_id = :traveler
""")


# Buyers of one launch queue here, inside the process, before they queue on its row lock: one
# waiter per process at the lock instead of dozens keeps PostgreSQL's lock hand-off cheap under a
# rush. Striped, so memory stays bounded. The row lock alone decides; this only orders our threads.
_GATES = [threading.Lock() for _ in range(64)]


@contextmanager
def _launch_gate(launch_id: int):
    with _GATES[launch_id % len(_GATES)]:
        yield


class _Replay(Exception):
    def __init__(self, booking_id: int):
        self.booking_id = booking_id


@dataclass(frozen=True)
class SeatAllowance:
    held: int
    vip: bool
    limit: int
    allowed: int


def _launch_row(session, launch_id: int, lock: bool = False):
    query = (select(Launch, Rocket.name, Agency.name).join(Rocket, Rocket.id == Launch.rocket_id)
             .join(Agency, Agency.id == Launch.agency_id).where(Launch.id == launch_id))
    if lock:
        query = query.with_for_update(of=Launch)
    return session.exec(query).first()


def _locked_launch(session, launch_id: int):
    """The launch's columns under its row lock, as a plain row: no ORM object to track on the
    hot path (the writes go through _INSERT)."""
    return session.execute(
        sa_select(Launch.id, Launch.slug, Launch.status, Launch.date, Launch.destination, Launch.spaceport,
                  Launch.price_cents, Launch.abort_reason, Launch.seats_offered, Launch.seats_sold, Launch.version,
                  Rocket.name.label("rocket_name"), Agency.name.label("agency_name"))
        .join(Rocket, Rocket.id == Launch.rocket_id).join(Agency, Agency.id == Launch.agency_id)
        .where(Launch.id == launch_id).with_for_update(of=Launch)).first()


def _clean_passengers(order: BookingCreate) -> list[PassengerCreate]:
    cleaned = []
    for i, p in enumerate(order.passengers):
        email = security.normalize_email(p.email, field=f"passengers.{i}.email")
        cleaned.append(PassengerCreate(name=p.name.strip(), email=email, phone=p.phone.strip(), birth_date=p.birth_date))
    return cleaned


def seat_allowance(actor: Actor, launch_id: int) -> SeatAllowance:
    """How many seats this traveler may still book on a launch (the booking page's seat picker)."""
    actor.require("traveler")
    with read_session() as session:
        held, trips, _ = session.execute(_POSITION, {"launch": launch_id, "key": None, "traveler": actor.user_id}).one()
    vip = rules.is_vip(trips)
    return SeatAllowance(held, vip, rules.seat_limit(vip), rules.seats_allowed(held, vip))


def create_booking(actor: Actor, data: BookingCreate | dict, idempotency_key: str | None = None) -> tuple[BookingPublic, bool]:
    """Book one seat per passenger. Returns (booking, created); a replayed key returns the first."""
    actor.require("traveler")
    order = parse(BookingCreate, data)
    passengers = _clean_passengers(order)
    key = rules.clean_idempotency_key(idempotency_key)
    receipt: Receipt | None = None
    committed = False
    try:
        with _launch_gate(order.launch_id), unit_of_work() as session:
            # What needs no lock is written before taking it (a rollback takes it back): every
            # moment the launch row stays locked is paid by every buyer queued behind.
            booking_id = session.execute(_NEXT_BOOKING_ID).scalar_one()
            outbox.record(session, "booking.created", "booking", booking_id, actor,
                          payload={"launch_id": order.launch_id, "booking_id": booking_id, "seats": len(passengers),
                                   "client_address": actor.client_address})
            session.flush()
            launch = _locked_launch(session, order.launch_id)
            if launch is None:
                raise NotFound("There is no launch with this id.", field="launch_id")
            held, trips, replay = session.execute(
                _POSITION, {"launch": launch.id, "key": key, "traveler": actor.user_id}).one()
            if replay is not None:
                raise _Replay(replay)
            now = datetime.now(timezone.utc)
            rules.check_bookable(value(launch.status), launch.date, now)
            rules.check_seats(len(passengers), launch.seats_offered - launch.seats_sold, held, rules.is_vip(trips))
            for i, passenger in enumerate(passengers):
                rules.check_passenger_age(passenger.birth_date, launch.date, i)
            amount = launch.price_cents * len(passengers)
            receipt = gateway().charge(order.payment.card_number, amount, f"{len(passengers)} seat(s) on {launch.slug}")
            booking, rows = _insert(session, booking_id, launch, actor, passengers, amount, receipt.reference, key, now)
        committed = True
    except _Replay as replay:
        return get_booking(actor, replay.booking_id), False
    except IntegrityError as exc:
        # Same key, racing on another launch's lock: the unique index lets only the first in.
        if "idempotency_key" not in str(exc.orig) or key is None:
            raise
        first = _booking_id_for_key(actor.user_id, key)
        if first is None:
            raise
        return get_booking(actor, first), False
    finally:
        if receipt is not None and not committed:
            _refund_quietly(receipt)
    return present(booking, rows, launch, launch.rocket_name, launch.agency_name, now), True


_NEXT_BOOKING_ID = text("select nextval(pg_get_serial_sequence('booking', 'id'))")
# The booking's writes in one round trip while the launch row is locked.
_INSERT = text("""
    with b as (
        insert into booking (id, launch_id, traveler_id, traveler_email, seats, amount_cents, refund_cents,
                             refund_percent, status, payment_ref, idempotency_key, created_at)
        values (:id, :launch, :traveler, :email, :seats, :amount, 0, 0, 'confirmed', :payment_ref, :key, :now)
        returning id),
    p as (
        insert into passenger (booking_id, name, email, phone, birth_date)
        select b.id, x.name, x.email, x.phone, x.birth_date
        from b, unnest(cast(:names as text[]), cast(:emails as text[]), cast(:phones as text[]),
                       cast(:births as date[])) with ordinality as x(name, email, phone, birth_date, n)
        order by x.n
        returning id),
    l as (
        update launch set seats_sold = seats_sold + :seats, version = version + 1, updated_at = :now
        where id = :launch)
    select (select id from b), array(select id from p order by id)
""")


def _insert(session, booking_id: int, launch, actor: Actor, passengers: list[PassengerCreate], amount: int,
            payment_ref: str, key: str | None, now: datetime) -> tuple[Booking, list[Passenger]]:
    _, passenger_ids = session.execute(_INSERT, {
        "id": booking_id, "launch": launch.id, "traveler": actor.user_id, "email": actor.email, "seats": len(passengers),
        "amount": amount, "payment_ref": payment_ref, "key": key, "now": now,
        "names": [p.name for p in passengers], "emails": [p.email for p in passengers],
        "phones": [p.phone for p in passengers], "births": [p.birth_date for p in passengers]}).one()
    booking = Booking(id=booking_id, launch_id=launch.id, traveler_id=actor.user_id, traveler_email=actor.email,
                      seats=len(passengers), amount_cents=amount, payment_ref=payment_ref, idempotency_key=key,
                      created_at=now)
    rows = [Passenger(id=pid, booking_id=booking_id, **p.model_dump()) for pid, p in zip(passenger_ids, passengers)]
    return booking, rows


def _refund_quietly(receipt: Receipt) -> None:
    """A charge whose booking was not saved goes straight back; a failure here needs a person."""
    try:
        gateway().refund(receipt.reference, receipt.amount_cents)
    except Exception:
        _log.exception("refund of an unsaved booking's charge failed", extra={"fields": {"charge": receipt.reference}})


def _booking_id_for_key(traveler_id: str, key: str) -> int | None:
    with read_session() as session:
        return session.exec(select(Booking.id).where(Booking.traveler_id == traveler_id,
                                                     Booking.idempotency_key == key)).first()


def cancel_booking(actor: Actor, booking_id: int, data: BookingCancel | dict | None = None) -> BookingPublic:
    """Cancel and refund by the bands; with no refund the seats stay sold (they are not resold)."""
    actor.require("traveler")
    request = parse(BookingCancel, data or {})
    with read_session() as session:
        launch_id = session.exec(select(Booking.launch_id).where(
            Booking.id == booking_id, Booking.traveler_id == actor.user_id)).first()
    if launch_id is None:
        raise NotFound("There is no booking with this id.", field="id")
    with _launch_gate(launch_id), unit_of_work() as session:
        launch, rocket_name, agency_name = _launch_row(session, launch_id, lock=True)
        booking = session.exec(select(Booking).where(Booking.id == booking_id).with_for_update()).one()
        now = datetime.now(timezone.utc)
        _check_cancellable(booking, launch, now)
        quote = rules.cancel_quote(booking.amount_cents, booking.seats, now, launch.date)
        if request.expected_refund_cents is not None and request.expected_refund_cents != quote.refund_cents:
            raise Conflict(f"The refund is now {rules.format_usd(quote.refund_cents)} ({quote.refund_percent}%). "
                           "Check it and confirm again.", field="expected_refund_cents", code="quote_changed")
        if quote.refund_cents:
            booking.refund_ref = gateway().refund(booking.payment_ref or "", quote.refund_cents).reference
        booking.status = BookingStatus.cancelled
        booking.refund_cents, booking.refund_percent, booking.cancelled_at = quote.refund_cents, quote.refund_percent, now
        if quote.seats_return_to_sale:
            launch.seats_sold = max(launch.seats_sold - booking.seats, 0)
        launch.version += 1
        launch.updated_at = now
        session.add_all([booking, launch])
        outbox.record(session, "booking.cancelled", "booking", booking.id, actor, version=2,
                      payload={"launch_id": launch.id, "booking_id": booking.id, "seats": booking.seats,
                               "refund_cents": quote.refund_cents, "refund_percent": quote.refund_percent,
                               "seats_returned": quote.seats_return_to_sale, "client_address": actor.client_address})
        passengers = list(session.exec(select(Passenger).where(Passenger.booking_id == booking.id).order_by(Passenger.id)))
    return present(booking, passengers, launch, rocket_name, agency_name, now)


def _check_cancellable(booking: Booking, launch: Launch, now: datetime) -> None:
    if value(booking.status) != "confirmed":
        raise Conflict("This booking is already cancelled.", field="id", code="already_cancelled")
    status = value(launch.status)
    if status == "aborted":
        raise Conflict("This launch was aborted: every booking on it is refunded in full, so there is nothing to cancel.",
                       field="id", code="not_cancellable")
    if status not in rules.BOOKABLE_STATUSES or launch.date <= now:
        raise Conflict("This launch has already taken place: the booking can no longer be cancelled.",
                       field="id", code="not_cancellable")
