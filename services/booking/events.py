"""The events of bookings and refunds. Each type is also the activity log's action."""
from services.kernel.events import Event


class _BookingEvent(Event):
    aggregate = "booking"
    aggregate_key = "booking_id"
    booking_id: int
    launch_id: int
    seats: int


class BookingHeld(_BookingEvent):
    """Seats taken for a booking whose card is being charged."""
    event_type = "booking.held"
    hold_expires_at: str


class BookingConfirmed(_BookingEvent):
    """The card was charged: the booking is paid."""
    event_type = "booking.confirmed"
    amount_cents: int
    payment_ref: str


class BookingReleased(_BookingEvent):
    """A hold ended unpaid, its seats back on sale. `charge_unknown`: the gateway never said
    whether it charged (it failed, or the hold expired), so the refunds consumer asks it and
    refunds any charge it finds."""
    event_type = "booking.released"
    reason: str  # declined | payment_failed
    charge_unknown: bool = False


class BookingExpired(_BookingEvent):
    """A hold whose payment never completed expired (its process may have died after the charge)."""
    event_type = "booking.expired"
    charge_unknown: bool = True


class BookingCancelled(_BookingEvent):
    """The traveler cancelled; `refund_id` is the pending refund written with the cancellation."""
    event_type = "booking.cancelled"
    refund_id: int | None = None
    refund_cents: int
    refund_percent: int
    seats_returned: bool


class RefundRequested(Event):
    """A refund outside a cancellation: a charge that arrived for a hold already released."""
    event_type = "refund.requested"
    aggregate = "refund"
    aggregate_key = "refund_id"
    refund_id: int
    booking_id: int
    launch_id: int
    amount_cents: int
    reason: str


class RefundPaid(Event):
    """The gateway paid a refund back to the traveler's card."""
    event_type = "refund.paid"
    aggregate = "refund"
    aggregate_key = "refund_id"
    refund_id: int
    booking_id: int
    launch_id: int
    amount_cents: int
    gateway_ref: str
