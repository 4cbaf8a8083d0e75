"""Bookings and the passengers on each seat."""
from datetime import date, datetime
from enum import Enum

from pydantic import field_validator
from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from services.core.models.base import optional_timestamp_field, timestamp_field
from services.core.models.bounds import INT32_MAX, birth_day, plain_text


class BookingStatus(str, Enum):
    held = "held"            # seats taken while the card is charged; expires at hold_expires_at
    confirmed = "confirmed"  # paid
    cancelled = "cancelled"  # by the traveler or by an aborted launch; any refund is a Refund row
    released = "released"    # the hold ended unpaid (declined card, failed payment, expiry, abort)


class Booking(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("traveler_id", "idempotency_key"),
                      Index("ix_booking_held_expiry", "hold_expires_at", postgresql_where=text("status = 'held'")))
    id: int | None = Field(default=None, primary_key=True)
    launch_id: int = Field(foreign_key="launch.id", index=True)
    traveler_id: str = Field(index=True, max_length=64)
    traveler_email: str = Field(max_length=254)
    seats: int = Field(gt=0)
    amount_cents: int = Field(ge=0)
    refund_cents: int = Field(default=0, ge=0)
    refund_percent: int = Field(default=0, ge=0, le=100)
    status: BookingStatus = Field(default=BookingStatus.confirmed, index=True)
    payment_ref: str | None = None
    idempotency_key: str | None = Field(default=None, max_length=100)
    # SHA-256 of the order (launch and passengers, never the card): the same Idempotency-Key with
    # another order is refused.
    request_hash: str | None = Field(default=None, max_length=64)
    hold_expires_at: datetime | None = optional_timestamp_field()
    release_reason: str | None = Field(default=None, max_length=20)
    created_at: datetime = timestamp_field()
    cancelled_at: datetime | None = optional_timestamp_field()
    released_at: datetime | None = optional_timestamp_field()


class RefundStatus(str, Enum):
    pending = "pending"
    paid = "paid"


class Refund(SQLModel, table=True):
    """Money owed back to a traveler, written in the transaction that decided it (a cancellation,
    an abort, a charge that arrived for a released hold) and paid afterwards by the refunds
    consumer through the gateway, with this row's idempotency key. At most one per booking."""
    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", unique=True)
    launch_id: int = Field(foreign_key="launch.id", index=True)
    amount_cents: int = Field(gt=0)
    reason: str = Field(max_length=20)  # cancelled | aborted | late_charge
    charge_ref: str | None = None
    status: RefundStatus = Field(default=RefundStatus.pending, index=True)
    gateway_ref: str | None = None
    created_at: datetime = timestamp_field()
    paid_at: datetime | None = optional_timestamp_field()

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.id}"


class PassengerBase(SQLModel):
    name: str = Field(min_length=2, max_length=120, description="As on the passenger's passport.",
                      schema_extra={"examples": ["Vera VIP"]})
    email: str = Field(max_length=254, schema_extra={"examples": ["vera@example.com"]})
    phone: str = Field(min_length=5, max_length=40, schema_extra={"examples": ["+1 555 0100"]})
    birth_date: date = Field(description="YYYY-MM-DD; passengers are 18 to 70 years old on the launch date.",
                             schema_extra={"examples": ["1980-01-15"]})


class Passenger(PassengerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)


class PassengerCreate(PassengerBase):
    _text = field_validator("*")(plain_text)
    _born = field_validator("birth_date")(birth_day)


class PassengerPublic(PassengerBase):
    id: int


class PaymentIn(SQLModel):
    card_number: str = Field(min_length=1, max_length=40, description=(
        "Sandbox card: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 declined."),
        schema_extra={"examples": ["4242424242424242"]})

    _text = field_validator("*")(plain_text)


class BookingCreate(SQLModel):
    """A traveler's order: one passenger per seat, paid by card."""
    launch_id: int = Field(ge=1, le=INT32_MAX, description="A launch open for booking (GET /api/launches).",
                           schema_extra={"examples": [1]})
    passengers: list[PassengerCreate] = Field(min_length=1, max_length=10, description=(
        "One per seat: at most 4 seats per traveler and launch, 6 for a VIP (two earlier trips), "
        "counting the traveler's other bookings of that launch."))
    payment: PaymentIn


class BookingCancel(SQLModel):
    """Optional: the refund the traveler was shown, so a quote that moved is confirmed again."""
    expected_refund_cents: int | None = Field(default=None, ge=0, le=INT32_MAX)


class BookingLaunch(SQLModel):
    """The launch as it stands now: a delay shows its new date, an abort its reason."""
    id: int
    slug: str
    name: str
    status: str
    date: datetime
    destination: str
    destination_name: str
    spaceport: str
    spaceport_name: str
    rocket_name: str
    agency_name: str
    price_cents: int
    abort_reason: str | None = None


class CancelQuotePublic(SQLModel):
    refund_percent: int
    refund_cents: int
    seats_return_to_sale: bool
    message: str
    # The terms from today on (services/booking/rules.refund_policy): what cancelling refunds until when.
    terms: list[str] = []


class BookingPublic(SQLModel):
    id: int
    launch_id: int
    status: BookingStatus
    seats: int
    amount_cents: int
    refund_cents: int
    refund_percent: int
    payment_ref: str | None = None
    refund_ref: str | None = None
    # pending (written with the cancellation, the gateway not yet answered) or paid; None: no refund.
    refund_status: RefundStatus | None = None
    created_at: datetime
    cancelled_at: datetime | None = None
    passengers: list[PassengerPublic]
    launch: BookingLaunch
    # What cancelling now would refund; None when the booking can no longer be cancelled.
    cancel_quote: CancelQuotePublic | None = None
    traveler_email: str = ""
