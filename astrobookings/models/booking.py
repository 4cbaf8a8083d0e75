"""Bookings and the passengers on each seat."""
from datetime import date, datetime
from enum import Enum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from astrobookings.models.base import optional_timestamp_field, timestamp_field


class BookingStatus(str, Enum):
    confirmed = "confirmed"
    cancelled = "cancelled"


class Booking(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("traveler_id", "idempotency_key"),)
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
    refund_ref: str | None = None
    idempotency_key: str | None = Field(default=None, max_length=100)
    created_at: datetime = timestamp_field()
    cancelled_at: datetime | None = optional_timestamp_field()


class PassengerBase(SQLModel):
    name: str = Field(min_length=2, max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field(min_length=5, max_length=40)
    birth_date: date


class Passenger(PassengerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)


class PassengerCreate(PassengerBase):
    pass


class PassengerPublic(PassengerBase):
    id: int


class PaymentIn(SQLModel):
    card_number: str = Field(min_length=1, max_length=40)


class BookingCreate(SQLModel):
    """A traveler's order: one passenger per seat, paid by card."""
    launch_id: int
    passengers: list[PassengerCreate] = Field(min_length=1, max_length=10)
    payment: PaymentIn


class BookingCancel(SQLModel):
    """Optional: the refund the traveler was shown, so a quote that moved is confirmed again."""
    expected_refund_cents: int | None = Field(default=None, ge=0)


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
    created_at: datetime
    cancelled_at: datetime | None = None
    passengers: list[PassengerPublic]
    launch: BookingLaunch
    # What cancelling now would refund; None when the booking can no longer be cancelled.
    cancel_quote: CancelQuotePublic | None = None
