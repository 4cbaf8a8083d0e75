"""Input and output shapes for user accounts (the User document lives in models/documents.py)."""
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from astrobookings.models.bounds import plain_text

from astrobookings.models.documents import Role


class UserRegister(BaseModel):
    """A visitor signing up as a traveler, with contact and tax data."""
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)
    name: str = Field(min_length=2, max_length=120)
    phone: str = Field(min_length=5, max_length=40)
    tax_id: str = Field(min_length=3, max_length=40)
    address: str = Field(min_length=5, max_length=300)

    _text = field_validator("*")(plain_text)


class UserCreate(BaseModel):
    """An admin creating an account for staff or an agency."""
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)
    name: str = Field(min_length=2, max_length=120)
    role: Role

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
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)

    _text = field_validator("*")(plain_text)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: Role
    expires_at: datetime
