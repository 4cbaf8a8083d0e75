"""Input and output shapes for user accounts (the User document lives in models/documents.py)."""
from datetime import datetime

from pydantic import BaseModel, Field, field_validator
from sqlmodel import Field as Column, SQLModel

from services.core.models.base import timestamp_field
from services.core.models.bounds import plain_text

from services.core.models.documents import Role


class UserRegister(BaseModel):
    """A visitor signing up as a traveler, with contact and tax data."""
    email: str = Field(max_length=254, description="Sign-in name; one account per address.",
                       examples=["tess@example.com"])
    password: str = Field(max_length=256, description=(
        "At least 12 characters, letters mixed with digits or symbols; not a common password, "
        "not one character or a short sequence repeated."), examples=["Correct-Horse-42!"])
    name: str = Field(min_length=2, max_length=120, description="Full name, as on invoices.", examples=["Tess Traveler"])
    phone: str = Field(min_length=5, max_length=40, examples=["+1 555 0100"])
    tax_id: str = Field(min_length=3, max_length=40, description="Tax number printed on invoices.", examples=["TX-123"])
    address: str = Field(min_length=5, max_length=300, description="Billing address.",
                         examples=["1 Launch Way, Cocoa Beach, FL"])

    _text = field_validator("*")(plain_text)


class UserCreate(BaseModel):
    """An admin creating an account for staff or an agency."""
    email: str = Field(max_length=254, examples=["agency@example.com"])
    password: str = Field(max_length=256, description=(
        "At least 12 characters, letters mixed with digits or symbols; not a common password, "
        "not one character or a short sequence repeated."), examples=["Correct-Horse-42!"])
    name: str = Field(min_length=2, max_length=120, examples=["Orbital Dynamics"])
    role: Role = Field(description="What the account may do: its portal.")

    _text = field_validator("*")(plain_text)


class UserUpdate(BaseModel):
    disabled: bool | None = None
    role: Role | None = None


class ProfileUpdate(BaseModel):
    """A traveler editing contact and tax data."""
    name: str = Field(min_length=2, max_length=120)
    phone: str = Field(min_length=5, max_length=40)
    tax_id: str = Field(min_length=3, max_length=40)
    address: str = Field(min_length=5, max_length=300)

    _text = field_validator("*")(plain_text)


class UserPublic(BaseModel):
    id: str
    email: str
    name: str
    role: Role
    phone: str | None = None
    tax_id: str | None = None
    address: str | None = None
    disabled: bool = False
    created_at: datetime
    last_sign_in_at: datetime | None = None


class LoginRequest(BaseModel):
    email: str = Field(max_length=254, examples=["traveler@example.com"])
    password: str = Field(max_length=256, examples=["Astro-Demo-2026!"])

    _text = field_validator("*")(plain_text)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: Role
    expires_at: datetime


class AccountCopy(SQLModel, table=True):
    """What booking needs of an account, kept in PostgreSQL beside the bookings: the account
    lives in MongoDB, and a booking must need only PostgreSQL (services/auth/copies.py)."""
    __tablename__ = "account_copy"
    user_id: str = Column(primary_key=True, max_length=64)
    email: str = Column(max_length=254)
    role: str = Column(max_length=20)
    name: str = Column(default="", max_length=120)
    phone: str = Column(default="", max_length=40)
    tax_id: str = Column(default="", max_length=40)
    address: str = Column(default="", max_length=300)
    disabled: bool = False
    updated_at: datetime = timestamp_field()
