"""Refunds: written as pending rows in the transaction that decides them (a cancellation, an
abort), paid afterwards by the refunds consumer through the gateway, recorded once paid.

Exactly once: a refund row is unique per booking; the gateway call carries the row's idempotency
key, so a retry after a failure or a crash (the gateway paid, we never recorded it) gets the same
answer instead of a second payment; the row turns `paid` only from `pending`, in one statement.
No gateway call ever runs inside a transaction or under a lock.
"""
from datetime import datetime, timezone

from sqlalchemy import text
from sqlmodel import Session

from services.core.db import read_session, unit_of_work
from services.core.models.booking import Booking, Refund, RefundStatus
from services.booking.events import RefundPaid, RefundRequested
from services.booking.holds import charge_key
from services.kernel import outbox
from services.kernel.actor import SYSTEM
from services.kernel.payments import Receipt, gateway


def write(session: Session, booking: Booking, amount_cents: int, reason: str) -> Refund:
    """A pending refund of a paid booking, in the caller's transaction."""
    refund = Refund(booking_id=booking.id, launch_id=booking.launch_id, amount_cents=amount_cents, reason=reason,
                    charge_ref=booking.payment_ref)
    session.add(refund)
    session.flush()
    return refund


_LATE = text("""
    insert into refund (booking_id, launch_id, amount_cents, reason, charge_ref, status, created_at)
    select id, launch_id, :amount, 'late_charge', :charge, 'pending', now() from booking where id = :booking
    on conflict (booking_id) do nothing
    returning id, launch_id
""")


def refund_late_charge(booking_id: int, receipt: Receipt) -> int | None:
    """A charge that arrived for a hold already released (it expired, or the launch was aborted,
    while the gateway answered): refund it in full. Returns the new refund's id, or None if the
    booking already has one."""
    with unit_of_work() as session:
        row = session.execute(_LATE, {"booking": booking_id, "amount": receipt.amount_cents,
                                      "charge": receipt.reference}).first()
        if row is None:
            return None
        refund_id, launch_id = row
        outbox.record(session, RefundRequested(refund_id=refund_id, booking_id=booking_id, launch_id=launch_id,
                                               amount_cents=receipt.amount_cents, reason="late_charge"), SYSTEM)
    return refund_id


def settle_released_hold(booking_id: int) -> int | None:
    """A hold released while nobody knew whether its card was charged: ask the gateway, and
    refund the charge if there was one."""
    receipt = gateway().find_charge(charge_key(booking_id))
    if receipt is None:
        return None
    return refund_late_charge(booking_id, receipt)


_PAID = text("""
    update refund set status = 'paid', gateway_ref = :ref, paid_at = :now
    where id = :id and status = 'pending'
    returning booking_id, launch_id, amount_cents
""")


def pay(refund_id: int) -> bool:
    """Pay one pending refund through the gateway; True if this call recorded it paid. A gateway
    failure raises, and the consumer's delivery is retried later with the same key."""
    with read_session() as session:
        refund = session.get(Refund, refund_id)
    if refund is None or refund.status == RefundStatus.paid:
        return False
    receipt = gateway().refund(refund.charge_ref or "", refund.amount_cents, refund.idempotency_key)
    with unit_of_work() as session:
        row = session.execute(_PAID, {"id": refund_id, "ref": receipt.reference, "now": datetime.now(timezone.utc)}).first()
        if row is None:
            return False
        booking_id, launch_id, amount = row
        outbox.record(session, RefundPaid(refund_id=refund_id, booking_id=booking_id, launch_id=launch_id,
                                          amount_cents=amount, gateway_ref=receipt.reference), SYSTEM)
    return True
