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

Cancelling writes the refund as a pending row in the cancellation's transaction; the refunds
consumer pays it (services/booking/refunds.py).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from psycopg.rows import namedtuple_row
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from astrobookings.db import one_statement, read_session, unit_of_work
from astrobookings.models import Agency, Booking, BookingStatus, Launch, Passenger, Rocket
from astrobookings.models.booking import BookingCancel, BookingCreate, BookingPublic, PassengerCreate, Refund
from astrobookings.settings import get_settings
from services.auth import normalize_email
from services.booking import holds, refunds, rules
from services.booking.events import BookingCancelled, BookingConfirmed, BookingHeld
from services.booking.holds import charge_key, launch_gate
from services.booking.views import get_booking, list_bookings, present, value  # noqa: F401  (the API reads here)
from services.kernel import outbox, payments
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, DomainError, NotFound, PaymentDeclined, ServiceUnavailable, ValidationFailed
from services.kernel.payments import GatewayUnavailable, Receipt, gateway
from services.kernel.validation import parse

# The traveler's position: seats held here (paid or being paid), earlier trips (for VIP), and a
# booking already made with this idempotency key (a retry that raced).
_POSITION_SQL = """
    select coalesce(sum(seats) filter (where launch_id = %(launch)s and status in ('confirmed', 'held')), 0),
           count(distinct launch_id) filter (where launch_id <> %(launch)s and status = 'confirmed'),
           max(id) filter (where idempotency_key = %(key)s)
    from booking where traveler_id = %(traveler)s
"""
_POSITION = text(_POSITION_SQL.replace("%(launch)s", ":launch").replace("%(key)s", ":key")
                 .replace("%(traveler)s", ":traveler"))
# The launch's columns under its row lock, as a plain row (no ORM object on the hot path).
_LOCK_LAUNCH_SQL = """
    select l.id, l.slug, l.status, l.date, l.destination, l.spaceport, l.price_cents, l.abort_reason,
           l.seats_offered, l.seats_sold, l.version, r.name as rocket_name, a.name as agency_name
    from launch l join rocket r on r.id = l.rocket_id join agency a on a.id = l.agency_id
    where l.id = %(launch)s for update of l
"""
_SOLD_OUT = ("sold_out", "not_enough_seats")


class _Replay(Exception):
    def __init__(self, booking_id: int):
        self.booking_id = booking_id


@dataclass(frozen=True)
class SeatAllowance:
    held: int
    vip: bool
    limit: int
    allowed: int


@dataclass
class _Hold:
    booking: Booking
    passengers: list[Passenger]
    launch: object  # the locked launch's row (see _lock_and_position)
    now: datetime


def _launch_row(session, launch_id: int, lock: bool = False):
    query = (select(Launch, Rocket.name, Agency.name).join(Rocket, Rocket.id == Launch.rocket_id)
             .join(Agency, Agency.id == Launch.agency_id).where(Launch.id == launch_id))
    if lock:
        query = query.with_for_update(of=Launch)
    return session.exec(query).first()


def _lock_and_position(session, launch_id: int, traveler_id: str, key: str | None):
    """Lock the launch row and read the traveler's position, in ONE round trip: the two queries go
    out together in psycopg's pipeline mode. PostgreSQL runs them in order, so the position query
    starts, with a snapshot of its own, only once the lock is granted: it sees every booking
    committed before (a traveler racing themselves included)."""
    conn = session.connection().connection.driver_connection
    params = {"launch": launch_id, "traveler": traveler_id, "key": key}
    with conn.pipeline():
        launch = conn.cursor(row_factory=namedtuple_row)
        launch.execute(_LOCK_LAUNCH_SQL, params)
        position = conn.cursor()
        position.execute(_POSITION_SQL, params)
    return launch.fetchone(), position.fetchone()


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
        held, trips, _ = session.execute(_POSITION, {"launch": launch_id, "key": None, "traveler": actor.user_id}).one()
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
        hold = _hold_or_expire_stale(actor, order.launch_id, passengers, key, digest, now)
    except _Replay as replay:
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


# A sold-out launch at a glance, without its lock: open, no seat free, no expired hold to release,
# and not a replay of this traveler's key (a replay returns its first booking, sold out or not).
_GLANCE = text("""
    select l.seats_offered - l.seats_sold, l.status, l.date,
           exists(select 1 from booking b where b.launch_id = l.id and b.status = 'held' and b.hold_expires_at <= now()),
           exists(select 1 from booking b where b.traveler_id = :traveler and b.idempotency_key = :key)
    from launch l where l.id = :launch
""")


def _refuse_if_sold_out(actor: Actor, launch_id: int, key: str | None, now: datetime | None = None) -> None:
    """In a sold-out storm every late buyer would queue for the launch's lock only to hear "sold
    out": they hear it from one unlocked read instead (bench/degraded.py). A seat freed a moment
    later is the same race as arriving a moment earlier; anything less clear-cut takes the lock."""
    with one_statement() as conn:
        row = conn.execute(_GLANCE, {"launch": launch_id, "traveler": actor.user_id, "key": key}).first()
    if row is None:
        return
    free, status, date, expired_holds, replay = row
    if free > 0 or expired_holds or replay:
        return
    try:
        rules.check_bookable(value(status), date, now or datetime.now(timezone.utc))
    except DomainError:
        return  # closed as well: the full path says which
    rules.check_seats(1, free, 0, False)


def _hold_or_expire_stale(actor: Actor, launch_id: int, passengers: list[PassengerCreate], key: str | None,
                          digest: str, now: datetime | None = None) -> _Hold:
    """Hold the seats. If the launch looks sold out, holds that expired unpaid may be what fills
    it: release them (outside the lock: it asks nothing of the gateway) and try once more."""
    _refuse_if_sold_out(actor, launch_id, key, now)
    try:
        return _hold(actor, launch_id, passengers, key, digest, now)
    except Conflict as exc:
        if exc.code not in _SOLD_OUT or not holds.expire_holds(launch_id):
            raise
    return _hold(actor, launch_id, passengers, key, digest, now)


def _hold(actor: Actor, launch_id: int, passengers: list[PassengerCreate], key: str | None, digest: str,
          now: datetime | None = None) -> _Hold:
    # Every moment the launch row stays locked is paid by every buyer queued behind it, so the
    # lock is held for two round trips and a commit: the lock with the position (pipelined), then
    # one statement writing the booking, its passengers, the launch's seats and the outbox event.
    # The connection's checkout comes before this process's gate, the commit after it.
    # A hold expires in real time (the sweeper's clock), whatever clock the rules read.
    clock = datetime.now(timezone.utc)
    now = now or clock
    expires = clock + timedelta(seconds=get_settings().booking_hold_seconds)
    with unit_of_work() as session:
        session.connection()
        with launch_gate(launch_id):
            launch, (held, trips, replay) = _lock_and_position(session, launch_id, actor.user_id, key)
            if launch is None:
                raise NotFound("There is no launch with this id.", field="launch_id")
            if replay is not None:
                raise _Replay(replay)
            rules.check_bookable(value(launch.status), launch.date, now)
            rules.check_seats(len(passengers), launch.seats_offered - launch.seats_sold, held, rules.is_vip(trips))
            for i, passenger in enumerate(passengers):
                rules.check_passenger_age(passenger.birth_date, launch.date, i)
            amount = launch.price_cents * len(passengers)
            booking, rows = _insert(session, launch, actor, passengers, amount, key, digest, now, expires)
        outbox.nudge_after_commit(session)
    return _Hold(booking, rows, launch, now)


# The hold's writes in one round trip while the launch row is locked, its outbox event included
# (the booking's id, which the event names, is made by this very statement).
_INSERT = text(f"""
    with b as (
        insert into booking (launch_id, traveler_id, traveler_email, seats, amount_cents, refund_cents,
                             refund_percent, status, idempotency_key, request_hash, hold_expires_at, created_at)
        values (:launch, :traveler, :email, :seats, :amount, 0, 0, 'held', :key, :hash, :expires, :now)
        returning id),
    o as (
        {outbox.EVENT_INSERT}
        select {outbox.event_columns("cast(b.id as varchar)", "cast(:payload as jsonb) || jsonb_build_object('booking_id', b.id)")}
        from b),
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


def _insert(session, launch, actor: Actor, passengers: list[PassengerCreate], amount: int, key: str | None,
            digest: str, now: datetime, expires: datetime) -> tuple[Booking, list[Passenger]]:
    # booking_id is filled in by the statement, from the row it inserts.
    held = BookingHeld(booking_id=0, launch_id=launch.id, seats=len(passengers), hold_expires_at=expires.isoformat())
    booking_id, passenger_ids = session.execute(_INSERT, {
        **outbox.event_params(held, actor),
        "launch": launch.id, "traveler": actor.user_id, "email": actor.email, "seats": len(passengers),
        "amount": amount, "key": key, "hash": digest, "expires": expires, "now": now,
        "names": [p.name for p in passengers], "emails": [p.email for p in passengers],
        "phones": [p.phone for p in passengers], "births": [p.birth_date for p in passengers]}).one()
    booking = Booking(id=booking_id, launch_id=launch.id, traveler_id=actor.user_id, traveler_email=actor.email,
                      seats=len(passengers), amount_cents=amount, status=BookingStatus.held, idempotency_key=key,
                      request_hash=digest, hold_expires_at=expires, created_at=now)
    rows = [Passenger(id=pid, booking_id=booking_id, **p.model_dump()) for pid, p in zip(passenger_ids, passengers)]
    return booking, rows


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
