"""Agencies and their rockets."""
from datetime import datetime
from enum import Enum

from pydantic import field_validator
from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from services.core.models.base import timestamp_field
from services.core.models.bounds import plain_text


class RocketRange(str, Enum):
    suborbital = "suborbital"
    low_earth_orbit = "low_earth_orbit"
    interplanetary = "interplanetary"


def _blank_to_none(value):
    """Web forms send "" for an empty field; an empty optional field means "not given"."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class AgencyBase(SQLModel):
    name: str = Field(min_length=2, max_length=120)
    tax_id: str | None = Field(default=None, max_length=40)
    legal_address: str | None = Field(default=None, max_length=300)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, max_length=40)


class Agency(AgencyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # The agency's sign-in account lives in MongoDB; this is its user id there.
    user_id: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = timestamp_field()


class AgencyUpdate(SQLModel):
    name: str = Field(min_length=2, max_length=120)
    tax_id: str | None = Field(default=None, min_length=3, max_length=40)
    legal_address: str | None = Field(default=None, min_length=5, max_length=300)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, min_length=5, max_length=40)

    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value):
        return value.strip() if isinstance(value, str) else value

    @field_validator("tax_id", "legal_address", "contact_email", "contact_phone", mode="before")
    @classmethod
    def _optional(cls, value):
        return _blank_to_none(value)

    _text = field_validator("*")(plain_text)


class AgencyPublic(AgencyBase):
    id: int
    can_schedule: bool = False
    # Profile fields still needed before the agency may schedule launches.
    missing: list[str] = []


class RocketBase(SQLModel):
    name: str = Field(min_length=2, max_length=80, schema_extra={"examples": ["Starhopper"]})
    capacity: int = Field(gt=0, le=100, description="Passenger seats.", schema_extra={"examples": [6]})
    range: RocketRange = Field(description="How far it flies: which destinations it may serve.")


class Rocket(RocketBase, table=True):
    # One name per rocket within an agency, ignoring case and spaces (migration 0005).
    __table_args__ = (Index("uq_rocket_agency_name", "agency_id", text("lower(btrim(name))"), unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    created_at: datetime = timestamp_field()


class RocketCreate(RocketBase):
    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value):
        return value.strip() if isinstance(value, str) else value

    _text = field_validator("*")(plain_text)


class RocketUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=2, max_length=80)
    capacity: int | None = Field(default=None, gt=0, le=100)
    range: RocketRange | None = None

    @field_validator("name", "capacity", "range", mode="before")
    @classmethod
    def _optional(cls, value):
        return _blank_to_none(value)

    _text = field_validator("*")(plain_text)


class RocketPublic(RocketBase):
    id: int
    destinations: list[str] = []
    # Launches still open for bookings (scheduled or delayed) on this rocket.
    open_launches: int = 0
    launches: int = 0
