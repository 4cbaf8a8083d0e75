"""Launches and their status history."""
from datetime import date as date_type, datetime
from enum import Enum

from pydantic import field_validator
from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from services.core.models.base import optional_timestamp_field, timestamp_field
from services.core.models.bounds import INT32_MAX, launch_moment, plain_text

# Booking amounts (seats x price) live in 32-bit integer columns; 3 million USD a seat keeps
# the largest booking (6 seats) inside that range.
MAX_PRICE_CENTS = 300_000_000


class LaunchStatus(str, Enum):
    scheduled = "scheduled"
    delayed = "delayed"
    aborted = "aborted"
    launched = "launched"
    failed = "failed"


class AbortReason(str, Enum):
    weather = "weather"
    technical = "technical"
    financial = "financial"


class LaunchBase(SQLModel):
    rocket_id: int = Field(foreign_key="rocket.id", index=True)
    spaceport: str = Field(max_length=40)
    destination: str = Field(max_length=40)
    date: datetime = Field(sa_type=DateTime(timezone=True))
    price_cents: int = Field(gt=0, le=MAX_PRICE_CENTS)


class Launch(LaunchBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    slug: str = Field(unique=True, index=True, max_length=160)
    status: LaunchStatus = Field(default=LaunchStatus.scheduled, index=True)
    seats_offered: int = Field(gt=0)
    # Kept in the same transaction as every booking and cancellation, under the launch row lock.
    seats_sold: int = Field(default=0, ge=0)
    # Bumped on every change; the read model applies an event only if it is newer.
    version: int = Field(default=1)
    abort_reason: str | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LaunchCreate(SQLModel):
    rocket_id: int = Field(gt=0, le=INT32_MAX, description="One of the agency's rockets; its capacity is the seats offered.")
    spaceport: str = Field(min_length=1, max_length=40, description="A spaceport code.", schema_extra={"examples": ["kourou"]})
    destination: str = Field(min_length=1, max_length=40, description="A destination code.", schema_extra={"examples": ["moon"]})
    date: datetime = Field(description="The launch moment, in the future; ISO 8601 with its time zone.",
                           schema_extra={"examples": ["2027-06-01T14:00:00Z"]})
    price_cents: int = Field(gt=0, le=MAX_PRICE_CENTS, description="Price per seat in US cents.",
                             schema_extra={"examples": [25_000_000]})

    _strip_codes = field_validator("spaceport", "destination", mode="before")(_strip)
    _text = field_validator("*")(plain_text)
    _date = field_validator("date")(launch_moment)


class LaunchStatusRequest(SQLModel):
    """A status change. `version`, when given, must match the launch's current version, so an
    agent acting on a stale page cannot overwrite a change made meanwhile."""
    status: LaunchStatus
    date: datetime | None = None
    reason: str | None = Field(default=None, max_length=300)
    version: int | None = Field(default=None, gt=0, le=INT32_MAX)

    @field_validator("date", "reason", "version", mode="before")
    @classmethod
    def _blank(cls, value):
        value = _strip(value)
        return None if value == "" else value

    _text = field_validator("*")(plain_text)
    _date = field_validator("date")(launch_moment)


class LaunchPublic(LaunchBase):
    id: int
    agency_id: int
    slug: str
    status: LaunchStatus
    seats_offered: int
    seats_sold: int
    seats_free: int
    version: int
    abort_reason: str | None = None
    rocket_name: str = ""
    rocket_range: str = ""
    spaceport_name: str = ""
    destination_name: str = ""


class StatusChangePublic(SQLModel):
    from_status: LaunchStatus
    to_status: LaunchStatus
    reason: str | None = None
    new_date: datetime | None = None
    actor_email: str | None = None
    at: datetime


class LaunchDetail(LaunchPublic):
    """What the agency sees of one launch: money, allowed moves and the status history."""
    paid_cents: int = 0
    refunded_cents: int = 0
    collected_cents: int = 0
    bookings: int = 0
    allowed_moves: list[str] = []
    history: list[StatusChangePublic] = []


class PassengerRow(SQLModel):
    booking_id: int
    booked_by: str
    name: str
    email: str
    phone: str
    birth_date: date_type


class ManifestRow(SQLModel):
    """One passenger of a paid booking, kept or cancelled: what the agency needs before the flight.
    Money is the booking's (shared by its passengers)."""
    booking_id: int
    status: str  # confirmed | cancelled
    booked_by: str
    name: str
    email: str
    phone: str
    birth_date: date_type
    seats: int
    paid_cents: int
    refund_cents: int
    refund_percent: int
    booked_at: datetime
    cancelled_at: datetime | None = None


class LaunchStatusChange(SQLModel, table=True):
    __tablename__ = "launch_status_change"
    id: int | None = Field(default=None, primary_key=True)
    launch_id: int = Field(foreign_key="launch.id", index=True)
    from_status: LaunchStatus
    to_status: LaunchStatus
    reason: str | None = None
    new_date: datetime | None = optional_timestamp_field()
    actor_email: str | None = None
    at: datetime = timestamp_field()
