"""The `refunds` consumer: pays what the traveler is owed, after the transaction that decided it.

It takes the events that write pending refunds (a cancellation, an abort, a charge that arrived
for a released hold) and those that release a hold whose charge nobody knows about (an expiry,
a failed gateway call, an abort): for those it asks the gateway, and a charge it finds becomes a
refund of its own (`refund.requested`, delivered here again). One event at a time, so a gateway
failure retries only that event's refunds, each with its own idempotency key: the ones already
paid are skipped, none is paid twice.

`launch.aborted` is the agency's event; this module reads its fields by name and never imports
the agency (booking does not depend on it).
"""
from services.booking import refunds
from services.kernel.events import Envelope
from services.kernel.relay import consumer


# Small batches: each refund waits on the payment gateway, and other processes take the rest.
@consumer("refunds", "booking.cancelled", "launch.aborted", "refund.requested", "booking.released", "booking.expired",
          batch_size=10)
def pay_refunds(batch: list[Envelope]) -> None:
    for envelope in batch:
        event = envelope.event
        for booking_id in _unsettled_holds(event):
            refunds.settle_released_hold(booking_id)
        for refund_id in _refund_ids(event):
            refunds.pay(refund_id)


def _refund_ids(event) -> list[int]:
    single = getattr(event, "refund_id", None)
    return ([single] if single is not None else []) + list(getattr(event, "refund_ids", None) or [])


def _unsettled_holds(event) -> list[int]:
    held = [event.booking_id] if getattr(event, "charge_unknown", False) else []
    return held + list(getattr(event, "released_booking_ids", None) or [])
