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
