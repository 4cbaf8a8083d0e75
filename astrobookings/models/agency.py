"""Agencies and their rockets."""
from datetime import datetime
from enum import Enum

from sqlmodel import Field, SQLModel

from astrobookings.models.base import timestamp_field


class RocketRange(str, Enum):
    suborbital = "suborbital"
    low_earth_orbit = "low_earth_orbit"
    interplanetary = "interplanetary"


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


class AgencyUpdate(AgencyBase):
    pass


class AgencyPublic(AgencyBase):
    id: int
    can_schedule: bool = False


class RocketBase(SQLModel):
    name: str = Field(min_length=2, max_length=80)
    capacity: int = Field(gt=0, le=100)
    range: RocketRange


class Rocket(RocketBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    created_at: datetime = timestamp_field()


class RocketCreate(RocketBase):
    pass


class RocketUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=2, max_length=80)
    capacity: int | None = Field(default=None, gt=0, le=100)
    range: RocketRange | None = None


class RocketPublic(RocketBase):
    id: int
