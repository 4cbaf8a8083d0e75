"""Invoices AstroBookings sends to agencies, their lines, and the payments against them.

An invoice is never edited or deleted: a correction is a cancellation invoice (negative lines,
`cancels_invoice_id` pointing back) plus, where needed, a new invoice. Its status is not stored:
it follows from its payments, its due date and whether a cancellation points at it.
"""
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, BigInteger, Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.core.models.base import timestamp_field

_JSON = JSON().with_variant(JSONB(), "postgresql")
# Amounts of invoices and payments: 64-bit cents, far beyond any fee.
MAX_AMOUNT_CENTS = 10**13


class InvoiceKind(str, Enum):
    launch_fee = "launch_fee"
    abort_fee = "abort_fee"
    cancellation = "cancellation"


class InvoiceStatus(str, Enum):
    pending = "pending"
    partially_paid = "partially_paid"
    paid = "paid"
    overdue = "overdue"
    cancelled = "cancelled"


class PaymentMethod(str, Enum):
    bank_transfer = "bank_transfer"
    card = "card"


class PaymentStatus(str, Enum):
    """A received payment counts towards its invoice; a reversed one (bounced, recorded in error)
    stays on record but no longer counts."""
    received = "received"
    reversed = "reversed"


class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=20)
    year: int
    sequence: int
    kind: str = Field(max_length=20)
    launch_id: int = Field(foreign_key="launch.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    legal_date: date = Field(index=True)
    due_date: date
    currency: str = Field(default="USD", max_length=3)
    total_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    # Copied at issue time: a later change of address or name never rewrites an issued invoice.
    seller: dict[str, Any] = Field(default_factory=dict, sa_type=_JSON)
    buyer: dict[str, Any] = Field(default_factory=dict, sa_type=_JSON)
    # A cancellation invoice points at the invoice it cancels; each invoice is cancelled at most once.
    cancels_invoice_id: int | None = Field(default=None, foreign_key="invoice.id", unique=True)
    reason: str | None = Field(default=None, max_length=300)
    issued_by: str = Field(max_length=254)
    created_at: datetime = timestamp_field()


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_line"
    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    position: int
    description: str = Field(max_length=300)
    quantity: int
    unit_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))


class InvoiceCounter(SQLModel, table=True):
    """The last number issued each year. Issuing increments it under its row lock, in the same
    transaction as the invoice: a rollback gives the number back, so numbers have no gaps."""
    __tablename__ = "invoice_counter"
    year: int = Field(primary_key=True)
    last_sequence: int = 0


class InvoiceReminder(SQLModel, table=True):
    """One row per invoice and reminder step (7, 14, 30 days late): the step's event goes out once."""
    __tablename__ = "invoice_reminder"
    invoice_id: int = Field(foreign_key="invoice.id", primary_key=True)
    step_days: int = Field(primary_key=True)
    created_at: datetime = timestamp_field()


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    method: str = Field(max_length=20)
    reference: str | None = Field(default=None, max_length=120)
    paid_on: date = Field(index=True)
    status: str = Field(default=PaymentStatus.received.value, max_length=20)
    status_reason: str | None = Field(default=None, max_length=300)
    recorded_by: str = Field(max_length=254)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


# --- what clients send -------------------------------------------------------------------------

class InvoiceIssue(SQLModel):
    launch_id: int = Field(ge=1, le=2**31 - 1, description="An ended launch (launched or aborted).")


class InvoiceCancel(SQLModel):
    reason: str = Field(min_length=3, max_length=300, description="Why the invoice is cancelled.")
    reissue: bool = Field(default=True, description="Issue a new invoice from the launch's current figures.")

    @field_validator("reason", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value


class PaymentCreate(SQLModel):
    amount_cents: int = Field(ge=1, le=MAX_AMOUNT_CENTS, description="Amount received, in cents.")
    method: PaymentMethod
    reference: str | None = Field(default=None, max_length=120, description="Bank transfer reference.")
    paid_on: date | None = Field(default=None, description="Defaults to today.")
    card_number: str | None = Field(default=None, max_length=30, description="For card payments.")

    @field_validator("reference", "card_number", mode="before")
    @classmethod
    def _blank(cls, value):
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value


class PaymentUpdate(SQLModel):
    status: PaymentStatus
    reason: str = Field(min_length=3, max_length=300, description="Why the payment's status changes.")


class CardPayment(SQLModel):
    card_number: str = Field(min_length=1, max_length=30)


# --- what clients read -------------------------------------------------------------------------

class InvoiceLinePublic(SQLModel):
    description: str
    quantity: int
    unit_cents: int
    amount_cents: int


class PaymentPublic(SQLModel):
    id: int
    invoice_id: int
    amount_cents: int
    method: str
    reference: str | None
    paid_on: date
    status: str
    status_reason: str | None
    recorded_by: str
    created_at: datetime


class InvoicePublic(SQLModel):
    id: int
    number: str
    kind: str
    status: InvoiceStatus
    launch_id: int
    agency_id: int
    legal_date: date
    due_date: date
    lines: list[InvoiceLinePublic]
    total_cents: int
    paid_cents: int
    outstanding_cents: int
    currency: str
    seller: dict[str, Any]
    buyer: dict[str, Any]
    cancels_invoice_id: int | None
    cancelled_by_invoice_id: int | None = None
    reason: str | None = None
    issued_by: str
    created_at: datetime


class InvoiceDetail(InvoicePublic):
    payments: list[PaymentPublic] = []
    launch_slug: str = ""
    cancels_number: str | None = None
    cancelled_by_number: str | None = None
