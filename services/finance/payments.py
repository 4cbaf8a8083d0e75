"""Payments against invoices: recorded by finance (bank transfer or card), paid by the agency by
card, and corrected by finance with a reason.

A card is charged before the transaction that records the payment, never while the invoice row
is locked; if recording is then refused (another payment settled the invoice meanwhile), the
charge goes straight back. Overpayment is refused. Every change leaves an outbox event.
"""
import uuid

from sqlmodel import Session, select

from services.core.db import read_session, unit_of_work
from services.core.formatting import usd
from services.core.logs import get_logger
from services.core.models.finance import (
    CardPayment, Invoice, InvoiceKind, Payment, PaymentCreate, PaymentMethod, PaymentPublic, PaymentStatus, PaymentUpdate,
)
from services.core.models.base import utcnow
from services.finance.events import PaymentCorrected, PaymentRecorded
from services.finance.invoices import STAFF, _paid, get_invoice, not_found, today
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, NotFound, ValidationFailed
from services.kernel.payments import Receipt, gateway
from services.kernel.validation import parse

_log = get_logger("finance.payments")


def record_payment(actor: Actor, invoice_id: int, data: PaymentCreate | dict) -> PaymentPublic:
    """Finance records money received: a bank transfer with its reference, or a card charged now."""
    actor.require(*STAFF)
    request = parse(PaymentCreate, data)
    if request.method is PaymentMethod.bank_transfer and not request.reference:
        raise ValidationFailed("Reference is required for a bank transfer.", field="reference")
    if request.method is PaymentMethod.card and not request.card_number:
        raise ValidationFailed("Card number is required for a card payment.", field="card_number")
    if request.paid_on and request.paid_on > today():
        raise ValidationFailed("Paid on cannot be in the future.", field="paid_on")
    _outstanding_or_refuse(invoice_id, request.amount_cents)
    receipt = None
    if request.method is PaymentMethod.card:
        receipt = gateway().charge(request.card_number, request.amount_cents, f"Invoice {invoice_id}", _charge_key(invoice_id))
    return _save(actor, invoice_id, request.amount_cents, request.method, receipt.reference if receipt else request.reference,
                 request.paid_on or today(), receipt)


def pay_by_card(actor: Actor, invoice_id: int, data: CardPayment | dict) -> PaymentPublic:
    """The agency pays what its invoice still owes, by card."""
    actor.require("agency")
    request = parse(CardPayment, data)
    invoice = get_invoice(actor, invoice_id)  # 404 for another agency's invoice
    if invoice.outstanding_cents <= 0:
        raise Conflict(f"Invoice {invoice.number} has nothing left to pay.", field="id", code="nothing_to_pay")
    receipt = gateway().charge(request.card_number, invoice.outstanding_cents, f"Invoice {invoice.number}",
                               _charge_key(invoice_id))
    return _save(actor, invoice_id, invoice.outstanding_cents, PaymentMethod.card, receipt.reference, today(), receipt)


def _charge_key(invoice_id: int) -> str:
    # Each request is its own payment attempt (these routes take no Idempotency-Key).
    return f"invoice-{invoice_id}-{uuid.uuid4().hex}"


def _outstanding_or_refuse(invoice_id: int, amount_cents: int) -> None:
    """Checked before a card is charged (and again under the lock when saving)."""
    with read_session() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            raise not_found()
        _check_amount(session, invoice, amount_cents)


def _check_amount(session: Session, invoice: Invoice, amount_cents: int) -> None:
    if invoice.kind == InvoiceKind.cancellation.value or session.exec(
            select(Invoice.id).where(Invoice.cancels_invoice_id == invoice.id)).first():
        raise Conflict(f"Invoice {invoice.number} is cancelled: it takes no payments.", field="id", code="invoice_cancelled")
    outstanding = invoice.total_cents - _paid(session, [invoice.id]).get(invoice.id, 0)
    if amount_cents > outstanding:
        raise Conflict(f"Amount exceeds what invoice {invoice.number} still owes ({usd(max(outstanding, 0))}).",
                       field="amount_cents", code="overpayment", outstanding_cents=max(outstanding, 0))


def _save(actor: Actor, invoice_id: int, amount_cents: int, method: PaymentMethod, reference: str | None, paid_on,
          receipt: Receipt | None) -> PaymentPublic:
    try:
        with unit_of_work() as session:
            invoice = session.exec(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).one()
            _check_amount(session, invoice, amount_cents)
            payment = Payment(invoice_id=invoice.id, amount_cents=amount_cents, method=method.value, reference=reference,
                              paid_on=paid_on, recorded_by=actor.email)
            session.add(payment)
            session.flush()
            outbox.record(session, PaymentRecorded(
                payment_id=payment.id, invoice_id=invoice.id, number=invoice.number, agency_id=invoice.agency_id,
                amount_cents=amount_cents, method=method.value), actor)
            result = PaymentPublic(**payment.model_dump())
    except Exception:
        if receipt is not None:
            _refund_quietly(receipt)
        raise
    return result


def _refund_quietly(receipt: Receipt) -> None:
    try:
        gateway().refund(receipt.reference, receipt.amount_cents, f"refund-of-{receipt.reference}")
    except Exception:
        _log.exception("refund of an unrecorded invoice payment failed", extra={"fields": {"charge": receipt.reference}})


def correct_payment(actor: Actor, payment_id: int, data: PaymentUpdate | dict) -> PaymentPublic:
    """Reverse a payment (bounced, recorded in error) or restore it, with the reason on record."""
    actor.require(*STAFF)
    request = parse(PaymentUpdate, data)
    with unit_of_work() as session:
        payment = session.exec(select(Payment).where(Payment.id == payment_id).with_for_update()).first()
        if payment is None:
            raise NotFound("There is no payment with this id.", field="id")
        invoice = session.exec(select(Invoice).where(Invoice.id == payment.invoice_id).with_for_update()).one()
        if payment.status == request.status.value:
            raise Conflict(f"This payment is already {payment.status}.", field="status", code="unchanged")
        if request.status is PaymentStatus.received:
            _check_amount(session, invoice, payment.amount_cents)
        previous, payment.status = payment.status, request.status.value
        payment.status_reason, payment.updated_at = request.reason, utcnow()
        session.add(payment)
        outbox.record(session, PaymentCorrected(
            payment_id=payment.id, invoice_id=invoice.id, number=invoice.number, from_status=previous,
            to_status=payment.status, reason=request.reason, amount_cents=payment.amount_cents), actor)
        return PaymentPublic(**payment.model_dump())
