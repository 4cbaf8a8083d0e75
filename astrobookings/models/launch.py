"""Launches and their status history."""
from datetime import datetime
from enum import Enum

from sqlmodel import Field, SQLModel

from astrobookings.models.base import optional_timestamp_field, timestamp_field
from sqlalchemy import DateTime


class LaunchStatus(str, Enum):
    scheduled = "scheduled"
    delayed = "delayed"
    aborted = "aborted"
    launched = "launched"
    failed = "failed"


class LaunchBase(SQLModel):
    rocket_id: int = Field(foreign_key="rocket.id", index=True)
    spaceport: str = Field(max_length=40)
    destination: str = Field(max_length=40)
    date: datetime = Field(sa_type=DateTime(timezone=True))
    price_cents: int = Field(gt=0, le=10_000_000_000)


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


class LaunchCreate(SQLModel):
    rocket_id: int
    spaceport: str
    destination: str
    date: datetime
    price_cents: int


class LaunchPublic(LaunchBase):
    id: int
    agency_id: int
    slug: str
    status: LaunchStatus
    seats_offered: int
    seats_sold: int
    seats_free: int


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
