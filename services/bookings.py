"""Travelers book seats and cancel them. PostgreSQL decides, under the launch row lock.

A booking is one transaction: lock the launch row (SELECT ... FOR UPDATE), check the rules against
the seats actually sold, charge the card, insert the booking and its passengers, bump the launch's
seats_sold and version, append the outbox event, commit. Concurrent buyers queue on the lock, so
they can never overbook; a declined card raises before anything is written.
"""
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select as sa_select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from astrobookings.db import read_session, unit_of_work
from astrobookings.logs import get_logger
from astrobookings.models import Agency, Booking, BookingStatus, Launch, Passenger, Rocket
from astrobookings.models.booking import (BookingCancel, BookingCreate, BookingLaunch, BookingPublic,
                                          CancelQuotePublic, PassengerCreate, PassengerPublic)
from services import activity, outbox, security
from services import booking_rules as rules
from services.actor import Actor
from services.catalog import display_name
from services.errors import Conflict, NotFound
from services.launch_rules import DESTINATION_NAMES, SPACEPORTS
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


def _value(enum_or_str) -> str:
    return getattr(enum_or_str, "value", enum_or_str)


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
            launch = _locked_launch(session, order.launch_id)
            if launch is None:
                raise NotFound("There is no launch with this id.", field="launch_id")
            held, trips, replay = session.execute(
                _POSITION, {"launch": launch.id, "key": key, "traveler": actor.user_id}).one()
            if replay is not None:
                raise _Replay(replay)
            now = datetime.now(timezone.utc)
            rules.check_bookable(_value(launch.status), launch.date, now)
            rules.check_seats(len(passengers), launch.seats_offered - launch.seats_sold, held, rules.is_vip(trips))
            for i, passenger in enumerate(passengers):
                rules.check_passenger_age(passenger.birth_date, launch.date, i)
            amount = launch.price_cents * len(passengers)
            receipt = gateway().charge(order.payment.card_number, amount, f"{len(passengers)} seat(s) on {launch.slug}")
            booking, rows = _insert(session, launch, actor, passengers, amount, receipt.reference, key, now)
            outbox.record(session, "booking.created", "booking", booking.id, actor, version=launch.version + 1,
                          payload={"launch_id": launch.id, "booking_id": booking.id, "seats": booking.seats,
                                   "amount_cents": amount, "launch_version": launch.version + 1})
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
    activity.record("booking.create", actor, subject=f"booking:{booking.id}", launch_id=launch.id,
                    seats=booking.seats, amount_cents=amount)
    return _present(booking, rows, launch, launch.rocket_name, launch.agency_name, now), True


# The booking's writes in one round trip while the launch row is locked: every round trip under
# the lock is paid by every buyer queued behind it.
_INSERT = text("""
    with b as (
        insert into booking (launch_id, traveler_id, traveler_email, seats, amount_cents, refund_cents,
                             refund_percent, status, payment_ref, idempotency_key, created_at)
        values (:launch, :traveler, :email, :seats, :amount, 0, 0, 'confirmed', :payment_ref, :key, :now)
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


def _insert(session, launch, actor: Actor, passengers: list[PassengerCreate], amount: int,
            payment_ref: str, key: str | None, now: datetime) -> tuple[Booking, list[Passenger]]:
    booking_id, passenger_ids = session.execute(_INSERT, {
        "launch": launch.id, "traveler": actor.user_id, "email": actor.email, "seats": len(passengers),
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


def get_booking(actor: Actor, booking_id: int) -> BookingPublic:
    """One of the actor's own bookings; anyone else's is reported as missing, not forbidden."""
    actor.require("traveler")
    with read_session() as session:
        row = session.exec(_bookings_query(actor).where(Booking.id == booking_id)).first()
        if row is None:
            raise NotFound("There is no booking with this id.", field="id")
        passengers = _passengers_of(session, [booking_id])
    return _present(*_unpack(row, passengers))


def list_bookings(actor: Actor, *, page: int = 1, per_page: int = 10) -> tuple[list[BookingPublic], int]:
    """The actor's bookings, newest first, each with its launch as it stands now."""
    actor.require("traveler")
    page, per_page = max(page, 1), min(max(per_page, 1), 100)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Booking).where(Booking.traveler_id == actor.user_id)).one()
        rows = session.exec(_bookings_query(actor).order_by(Booking.created_at.desc(), Booking.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
        passengers = _passengers_of(session, [r[0].id for r in rows])
    return [_present(*_unpack(r, passengers)) for r in rows], total


def _bookings_query(actor: Actor):
    return (select(Booking, Launch, Rocket.name, Agency.name).join(Launch, Launch.id == Booking.launch_id)
            .join(Rocket, Rocket.id == Launch.rocket_id).join(Agency, Agency.id == Launch.agency_id)
            .where(Booking.traveler_id == actor.user_id))


def _passengers_of(session, booking_ids: list[int]) -> dict[int, list[Passenger]]:
    found: dict[int, list[Passenger]] = {i: [] for i in booking_ids}
    if booking_ids:
        for p in session.exec(select(Passenger).where(Passenger.booking_id.in_(booking_ids)).order_by(Passenger.id)):
            found[p.booking_id].append(p)
    return found


def _unpack(row, passengers: dict[int, list[Passenger]]):
    booking, launch, rocket_name, agency_name = row
    return booking, passengers.get(booking.id, []), launch, rocket_name, agency_name, datetime.now(timezone.utc)


def _cancellable(booking: Booking, launch: Launch, now: datetime) -> bool:
    return (_value(booking.status) == "confirmed" and _value(launch.status) in rules.BOOKABLE_STATUSES
            and launch.date > now)


def _present(booking: Booking, passengers: list[Passenger], launch: Launch, rocket_name: str,
             agency_name: str, now: datetime) -> BookingPublic:
    quote = None
    if _cancellable(booking, launch, now):
        q = rules.cancel_quote(booking.amount_cents, booking.seats, now, launch.date)
        quote = CancelQuotePublic(refund_percent=q.refund_percent, refund_cents=q.refund_cents,
                                  seats_return_to_sale=q.seats_return_to_sale, message=q.message)
    return BookingPublic(
        id=booking.id, launch_id=booking.launch_id, status=booking.status, seats=booking.seats,
        amount_cents=booking.amount_cents, refund_cents=booking.refund_cents, refund_percent=booking.refund_percent,
        payment_ref=booking.payment_ref, refund_ref=booking.refund_ref, created_at=booking.created_at,
        cancelled_at=booking.cancelled_at,
        passengers=[PassengerPublic(id=p.id, name=p.name, email=p.email, phone=p.phone, birth_date=p.birth_date)
                    for p in passengers],
        launch=BookingLaunch(
            id=launch.id, slug=launch.slug, name=display_name(rocket_name, launch.destination),
            status=_value(launch.status), date=launch.date, destination=launch.destination,
            destination_name=DESTINATION_NAMES.get(launch.destination, launch.destination),
            spaceport=launch.spaceport, spaceport_name=SPACEPORTS.get(launch.spaceport, launch.spaceport),
            rocket_name=rocket_name, agency_name=agency_name, price_cents=launch.price_cents,
            abort_reason=launch.abort_reason),
        cancel_quote=quote,
    )


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
        outbox.record(session, "booking.cancelled", "booking", booking.id, actor, version=launch.version,
                      payload={"launch_id": launch.id, "booking_id": booking.id, "seats": booking.seats,
                               "refund_cents": quote.refund_cents, "seats_returned": quote.seats_return_to_sale,
                               "launch_version": launch.version})
        passengers = list(session.exec(select(Passenger).where(Passenger.booking_id == booking.id).order_by(Passenger.id)))
    activity.record("booking.cancel", actor, subject=f"booking:{booking.id}", launch_id=launch.id,
                    refund_cents=quote.refund_cents, refund_percent=quote.refund_percent)
    return _present(booking, passengers, launch, rocket_name, agency_name, now)


def _check_cancellable(booking: Booking, launch: Launch, now: datetime) -> None:
    if _value(booking.status) != "confirmed":
        raise Conflict("This booking is already cancelled.", field="id", code="already_cancelled")
    status = _value(launch.status)
    if status == "aborted":
        raise Conflict("This launch was aborted: every booking on it is refunded in full, so there is nothing to cancel.",
                       field="id", code="not_cancellable")
    if status not in rules.BOOKABLE_STATUSES or launch.date <= now:
        raise Conflict("This launch has already taken place: the booking can no longer be cancelled.",
                       field="id", code="not_cancellable")
