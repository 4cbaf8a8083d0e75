"""Holds: seats a booking takes while its card is charged, outside any lock.

A hold ends confirmed (the charge went through), or released: at once when the card is declined or
the gateway fails, and after `BOOKING_HOLD_SECONDS` when the payment never completed (the buyer's
process died between the charge and the confirmation, say). Expired holds are released by a
scheduler job, and lazily by the next buyer who finds the launch sold out. Releasing returns the
seats; when nobody knows whether the gateway charged the card, the release says so and the refunds
consumer asks the gateway and refunds any charge it finds (services/booking/refunds.py).
"""
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import text

from services.core.db import read_session, unit_of_work
from services.core.logs import get_logger
from services.booking.events import BookingExpired, BookingReleased
from services.kernel import outbox
from services.kernel.actor import SYSTEM, Actor

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
