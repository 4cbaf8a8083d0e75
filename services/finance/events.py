"""The events of invoices and payments. Each type is also the activity log's action."""
from services.kernel.events import Event


class InvoiceIssued(Event):
    """An invoice (or a cancellation invoice, pointing back) was issued, by the system or an employee."""
    event_type = "invoice.issued"
    aggregate = "invoice"
    aggregate_key = "invoice_id"
    invoice_id: int
    number: str
    kind: str
    launch_id: int
    agency_id: int
    total_cents: int
    cancels_invoice_id: int | None = None


class InvoiceOverdue(Event):
    """Once per invoice and reminder step (7, 14, 30 days late)."""
    event_type = "invoice.overdue"
    aggregate = "invoice"
    aggregate_key = "invoice_id"
    invoice_id: int
    number: str
    agency_id: int
    days_late: int
    due_date: str


class PaymentRecorded(Event):
    event_type = "payment.recorded"
    aggregate = "payment"
    aggregate_key = "payment_id"
    payment_id: int
    invoice_id: int
    number: str
    agency_id: int
    amount_cents: int
    method: str


class PaymentCorrected(Event):
    """A payment reversed (bounced, recorded in error) or restored, with the reason."""
    event_type = "payment.corrected"
    aggregate = "payment"
    aggregate_key = "payment_id"
    payment_id: int
    invoice_id: int
    number: str
    from_status: str
    to_status: str
    reason: str | None = None
    amount_cents: int
