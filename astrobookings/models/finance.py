"""Invoices AstroBookings sends to agencies, and the payments against them."""
from datetime import date, datetime
from enum import Enum

from sqlmodel import Field, SQLModel

from astrobookings.models.base import timestamp_field


class InvoiceKind(str, Enum):
    launch_fee = "launch_fee"
    abort_fee = "abort_fee"
    cancellation = "cancellation"


class PaymentStatus(str, Enum):
    pending = "pending"
    paid = "paid"
    partially_paid = "partially_paid"
    overdue = "overdue"
    cancelled = "cancelled"


class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, index=True, max_length=32)
    launch_id: int = Field(foreign_key="launch.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    kind: InvoiceKind
    amount_cents: int
    currency: str = Field(default="USD", max_length=3)
    legal_date: date
    # A correction never edits an invoice: it cancels it with a new one that points back.
    cancels_invoice_id: int | None = Field(default=None, foreign_key="invoice.id")
    created_at: datetime = timestamp_field()


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount_cents: int = Field(ge=0)
    status: PaymentStatus = Field(default=PaymentStatus.pending)
    reference: str | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
