"""Holds: seats a booking takes while its card is charged, outside any lock.

A hold is placed (`place`) in one short transaction under the launch's row lock, which every
buyer of that launch queues for: the statements below keep that lock for two round trips and the
commit. A hold ends confirmed (the charge went through), or released: at once when the card is declined or
the gateway fails, and after `BOOKING_HOLD_SECONDS` when the payment never completed (the buyer's
process died between the charge and the confirmation, say). Expired holds are released by a
scheduler job, and lazily by the next buyer who finds the launch sold out. Releasing returns the
seats; when nobody knows whether the gateway charged the card, the release says so and the refunds
consumer asks the gateway and refunds any charge it finds (services/booking/refunds.py).
"""
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from psycopg.rows import namedtuple_row
from sqlalchemy import text

from services.booking import rules
from services.booking.events import BookingExpired, BookingHeld, BookingReleased
from services.booking.views import value
from services.core.db import one_statement, read_session, unit_of_work
from services.core.logs import get_logger
from services.core.models import Booking, BookingStatus, Passenger
from services.core.models.booking import PassengerCreate
from services.core.settings import get_settings
from services.kernel import outbox
from services.kernel.actor import SYSTEM, Actor
from services.kernel.errors import Conflict, DomainError, NotFound

_log = get_logger("holds")

# Buyers of one launch queue here, inside the process, before they queue on its row lock: one
# waiter per process at the lock instead of dozens keeps PostgreSQL's lock hand-off cheap under a
# rush. Striped, so memory stays bounded. The row lock alone decides; this only orders our threads.
_GATES = [threading.Lock() for _ in range(64)]


@contextmanager
def launch_gate(launch_id: int) -> Iterator[None]:
    with _GATES[launch_id % len(_GATES)]:
        yield


def charge_key(booking_id: int) -> str:
    """The gateway idempotency key of a booking's charge: one charge per booking, however often asked."""
    return f"booking-{booking_id}"


_RELEASE = text("""
    with b as (
        update booking set status = 'released', release_reason = :reason, released_at = :now,
                           hold_expires_at = null, idempotency_key = null
        where id = :id and status = 'held' and (:expired_only = false or hold_expires_at <= :now)
        returning launch_id, seats),
    l as (
        update launch set seats_sold = greatest(seats_sold - (select seats from b), 0), version = version + 1,
                          updated_at = :now
        where id = (select launch_id from b)
        returning version)
    select b.launch_id, b.seats, (select version from l) from b
""")


def release(booking_id: int, launch_id: int, reason: str, actor: Actor, *, charge_unknown: bool) -> bool:
    """Release one hold (if it is still held), in its own short transaction; True if it was.

    The idempotency key is freed with it: the traveler may try again with the same key (another
    card, say), as when a declined card wrote nothing."""
    expired = reason == "expired"
    now = datetime.now(timezone.utc)
    with launch_gate(launch_id), unit_of_work() as session:
        session.execute(text("select 1 from launch where id = :id for update"), {"id": launch_id})
        row = session.execute(_RELEASE, {"id": booking_id, "reason": reason, "now": now, "expired_only": expired}).first()
        if row is None:
            return False
        launch, seats, version = row
        if expired:
            event = BookingExpired(booking_id=booking_id, launch_id=launch, seats=seats)
        else:
            event = BookingReleased(booking_id=booking_id, launch_id=launch, seats=seats, reason=reason,
                                    charge_unknown=charge_unknown)
        outbox.record(session, event, actor, version=version)
    return True


def expire_holds(launch_id: int | None = None, limit: int = 200) -> int:
    """Release holds past their expiry (of one launch, or all); returns how many were released."""
    where = "status = 'held' and hold_expires_at <= now()" + (" and launch_id = :launch" if launch_id else "")
    with read_session() as session:
        rows = session.execute(text(f"select id, launch_id from booking where {where} order by hold_expires_at limit :limit"),
                               {"launch": launch_id, "limit": limit}).all()
    released = sum(release(booking_id, launch, "expired", SYSTEM, charge_unknown=True) for booking_id, launch in rows)
    if released:
        _log.info("expired holds released", extra={"fields": {"released": released, "launch_id": launch_id}})
    return released


# --- placing a hold, under the launch's row lock ----------------------------------------------

# The traveler's position: seats held here (paid or being paid), earlier trips (for VIP), and a
# booking already made with this idempotency key (a retry that raced).
_POSITION_SQL = """
    select coalesce(sum(seats) filter (where launch_id = %(launch)s and status in ('confirmed', 'held')), 0),
           count(distinct launch_id) filter (where launch_id <> %(launch)s and status = 'confirmed'),
           max(id) filter (where idempotency_key = %(key)s)
    from booking where traveler_id = %(traveler)s
"""
POSITION = text(_POSITION_SQL.replace("%(launch)s", ":launch").replace("%(key)s", ":key")
                .replace("%(traveler)s", ":traveler"))
# The launch's columns under its row lock, as a plain row (no ORM object on the hot path).
_LOCK_LAUNCH_SQL = """
    select l.id, l.slug, l.status, l.date, l.destination, l.spaceport, l.price_cents, l.abort_reason,
           l.seats_offered, l.seats_sold, l.version, r.name as rocket_name, a.name as agency_name
    from launch l join rocket r on r.id = l.rocket_id join agency a on a.id = l.agency_id
    where l.id = %(launch)s for update of l
"""
_SOLD_OUT = ("sold_out", "not_enough_seats")


class Replay(Exception):
    def __init__(self, booking_id: int):
        self.booking_id = booking_id


@dataclass
class Hold:
    booking: Booking
    passengers: list[Passenger]
    launch: object  # the locked launch's row (see _lock_and_position)
    now: datetime


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


def place(actor: Actor, launch_id: int, passengers: list[PassengerCreate], key: str | None,
          digest: str, now: datetime | None = None) -> Hold:
    """Hold the seats. If the launch looks sold out, holds that expired unpaid may be what fills
    it: release them (outside the lock: it asks nothing of the gateway) and try once more."""
    actor.require("traveler")
    _refuse_if_sold_out(actor, launch_id, key, now)
    try:
        return _hold(actor, launch_id, passengers, key, digest, now)
    except Conflict as exc:
        if exc.code not in _SOLD_OUT or not expire_holds(launch_id):
            raise
    return _hold(actor, launch_id, passengers, key, digest, now)


def _hold(actor: Actor, launch_id: int, passengers: list[PassengerCreate], key: str | None, digest: str,
          now: datetime | None = None) -> Hold:
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
                raise Replay(replay)
            rules.check_bookable(value(launch.status), launch.date, now)
            rules.check_seats(len(passengers), launch.seats_offered - launch.seats_sold, held, rules.is_vip(trips))
            for i, passenger in enumerate(passengers):
                rules.check_passenger_age(passenger.birth_date, launch.date, i)
            amount = launch.price_cents * len(passengers)
            booking, rows = _insert(session, launch, actor, passengers, amount, key, digest, now, expires)
        outbox.nudge_after_commit(session)
    return Hold(booking, rows, launch, now)


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
