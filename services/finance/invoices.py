"""Invoices: issued by the system when a launch ends (a consumer of `launch.launched` and
`launch.aborted`) or by a finance employee, read by finance and by the owning agency, and
corrected only by a cancellation invoice plus, where needed, a new one.

Exactly one live invoice per launch: issuing takes a transaction-scoped advisory lock on the
launch, so concurrent issuers (a retried event, an employee's click) take turns and the second
finds the first one's invoice. Numbers come from `invoice_counter` under its row lock, in the
same transaction, so they are sequential per year without gaps.
"""
from datetime import date, datetime, timezone

from sqlalchemy import func, text
from sqlmodel import Session, select

from services.core.db import read_session, unit_of_work
from services.core.formatting import usd
from services.core.models.finance import (
    Invoice, InvoiceCancel, InvoiceDetail, InvoiceIssue, InvoiceKind, InvoiceLine, InvoiceLinePublic, InvoicePublic,
    Payment, PaymentPublic, PaymentStatus,
)
from services.core.models.launch import Launch
from services.core.settings import get_settings
from services.agency import agency_id_for, launch_facts
from services.finance import rules
from services.finance.events import InvoiceIssued
from services.finance.pdf import invoice_pdf as render
from services.finance.queries import invoice_page
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, NotFound
from services.kernel.validation import parse

STAFF = ("finance", "admin")
# The scheduler's consumer issues invoices as the system.
ISSUERS = STAFF + ("system",)
_LAUNCH_LOCK = text("select pg_advisory_xact_lock(hashtext('invoice-of-launch'), :launch)")
_NEXT_NUMBER = text("""
    insert into invoice_counter (year, last_sequence) values (:year, 1)
    on conflict (year) do update set last_sequence = invoice_counter.last_sequence + 1
    returning last_sequence
""")


def not_found() -> NotFound:
    return NotFound("There is no invoice with this id.", field="id")


def today() -> date:
    return datetime.now(timezone.utc).date()


# --- issuing -----------------------------------------------------------------------------------

def issue_for_launch(actor: Actor, data: InvoiceIssue | dict) -> InvoiceDetail:
    """Issue the invoice an ended launch owes. Refused, saying why, when the launch is still open,
    failed (no fee), or already has a live invoice."""
    actor.require(*ISSUERS)
    request = parse(InvoiceIssue, data)
    with unit_of_work() as session:
        invoice_id = _issue(session, actor, request.launch_id, explain=True)
    return get_invoice(actor, invoice_id)


def issue_when_launch_ends(actor: Actor, launch_id: int, *, now: datetime | None = None) -> int | None:
    """The consumer's entry: idempotent. An event delivered twice, or racing an employee, leaves
    one invoice; a failed launch, or one already invoiced, issues nothing."""
    actor.require(*ISSUERS)
    with unit_of_work() as session:
        return _issue(session, actor, launch_id, explain=False, now=now)


def _issue(session: Session, actor: Actor, launch_id: int, *, explain: bool, now: datetime | None = None) -> int | None:
    session.execute(_LAUNCH_LOCK, {"launch": launch_id})
    facts = launch_facts(session, launch_id)
    if facts is None:
        raise NotFound("There is no launch with this id.", field="launch_id")
    live = _live_invoice(session, launch_id)
    kind = rules.kind_for(facts.status)
    refusal = None
    if live is not None:
        refusal = Conflict(f"This launch already has invoice {live.number}; cancel it to issue a new one.",
                           field="launch_id", code="already_invoiced", invoice_id=live.id, number=live.number)
    elif facts.status == "failed":
        refusal = Conflict("A failed launch carries no fee: there is nothing to invoice.", field="launch_id",
                           code="no_fee")
    elif kind is None:
        refusal = Conflict(f"This launch is still {facts.status}: it is invoiced once it has launched or was aborted.",
                           field="launch_id", code="launch_not_ended")
    if refusal is not None:
        if explain:
            raise refusal
        return None
    lines = rules.launch_fee_lines(facts.status, facts.net_revenue_cents,
                                   rules.is_reliable(facts.earlier_successful_launches), facts.name)
    invoice = _write(session, actor, kind, facts.launch_id, facts.agency_id, lines, facts.buyer, now=now)
    return invoice.id


def _live_invoice(session: Session, launch_id: int) -> Invoice | None:
    """The launch's invoice that no cancellation points at."""
    cancelled = select(Invoice.cancels_invoice_id).where(Invoice.cancels_invoice_id.is_not(None))
    return session.exec(select(Invoice).where(Invoice.launch_id == launch_id, Invoice.kind != InvoiceKind.cancellation.value,
                                              Invoice.id.not_in(cancelled))).first()


def _write(session: Session, actor: Actor, kind: InvoiceKind, launch_id: int, agency_id: int, lines: list[rules.Line],
           buyer: dict, *, cancels: Invoice | None = None, reason: str | None = None,
           now: datetime | None = None) -> Invoice:
    legal = now.date() if now else today()
    sequence = session.execute(_NEXT_NUMBER, {"year": legal.year}).scalar_one()
    settings = get_settings()
    invoice = Invoice(
        number=rules.invoice_number(legal.year, sequence), year=legal.year, sequence=sequence, kind=kind.value,
        launch_id=launch_id, agency_id=agency_id, legal_date=legal, due_date=rules.due_date(legal),
        total_cents=sum(line.amount_cents for line in lines), buyer=buyer,
        seller={"name": settings.seller_name, "address": settings.seller_address, "tax_id": settings.seller_tax_id},
        cancels_invoice_id=cancels.id if cancels else None, reason=reason, issued_by=actor.email)
    session.add(invoice)
    session.flush()
    session.add_all([InvoiceLine(invoice_id=invoice.id, position=i, description=line.description[:300],
                                 quantity=line.quantity, unit_cents=line.unit_cents, amount_cents=line.amount_cents)
                     for i, line in enumerate(lines, start=1)])
    outbox.record(session, InvoiceIssued(
        invoice_id=invoice.id, number=invoice.number, kind=invoice.kind, launch_id=launch_id, agency_id=agency_id,
        total_cents=invoice.total_cents, cancels_invoice_id=invoice.cancels_invoice_id), actor)
    return invoice


# --- correcting --------------------------------------------------------------------------------

def cancel_invoice(actor: Actor, invoice_id: int, data: InvoiceCancel | dict, *,
                   now: datetime | None = None) -> InvoiceDetail:
    """Cancel with a cancellation invoice (negative lines, pointing back) and, when asked, issue
    a new invoice from the launch's current figures. Returns the new invoice, or the cancellation."""
    actor.require(*STAFF)
    request = parse(InvoiceCancel, data)
    with read_session() as session:
        launch_id = session.exec(select(Invoice.launch_id).where(Invoice.id == invoice_id)).first()
    if launch_id is None:
        raise not_found()
    with unit_of_work() as session:
        session.execute(_LAUNCH_LOCK, {"launch": launch_id})
        original = session.get(Invoice, invoice_id)
        _check_cancellable(session, original)
        lines = [rules.Line(line.description, line.quantity, line.unit_cents) for line in _lines(session, original.id)]
        cancellation = _write(session, actor, InvoiceKind.cancellation, original.launch_id, original.agency_id,
                              rules.cancellation_lines(lines, original.number), original.buyer,
                              cancels=original, reason=request.reason, now=now)
        result = cancellation.id
        if request.reissue:
            result = _issue(session, actor, original.launch_id, explain=False, now=now) or result
    return get_invoice(actor, result)


def _check_cancellable(session: Session, invoice: Invoice) -> None:
    if invoice.kind == InvoiceKind.cancellation.value:
        raise Conflict("A cancellation invoice cannot itself be cancelled.", field="id", code="not_cancellable")
    if session.exec(select(Invoice.number).where(Invoice.cancels_invoice_id == invoice.id)).first():
        raise Conflict(f"Invoice {invoice.number} is already cancelled.", field="id", code="already_cancelled")
    paid = _paid(session, [invoice.id]).get(invoice.id, 0)
    if paid:
        raise Conflict(f"Invoice {invoice.number} has {usd(paid)} of payments recorded: reverse them before cancelling it.",
                       field="id", code="has_payments")


# --- reading -----------------------------------------------------------------------------------

def get_invoice(actor: Actor, invoice_id: int) -> InvoiceDetail:
    """Finance and admin read every invoice; an agency only its own (another's answers 404)."""
    actor.require(*ISSUERS, "agency")
    with read_session() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or (actor.role == "agency" and invoice.agency_id != agency_id_for(actor)):
            raise not_found()
        return _detail(session, invoice)


def list_invoices(actor: Actor, *, agency_id: int | None = None, status: str | None = None, year: int | None = None,
                  number: str | None = None, page: int = 1, per_page: int = 20) -> tuple[list[InvoicePublic], int]:
    """Newest first. Status filters on the derived status, computed in SQL like the reports."""
    actor.require(*STAFF, "agency")
    if actor.role == "agency":
        agency_id = agency_id_for(actor)
    with read_session() as session:
        ids, total = invoice_page(session, today(), agency_id=agency_id, status=status, year=year, number=number,
                                  page=page, per_page=per_page)
        invoices = {i.id: i for i in session.exec(select(Invoice).where(Invoice.id.in_(ids))).all()} if ids else {}
        return _publics(session, [invoices[i] for i in ids]), total


def _lines(session: Session, invoice_id: int) -> list[InvoiceLine]:
    return list(session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.position)))


def _paid(session: Session, invoice_ids: list[int]) -> dict[int, int]:
    rows = session.exec(select(Payment.invoice_id, func.sum(Payment.amount_cents)).where(
        Payment.invoice_id.in_(invoice_ids), Payment.status == PaymentStatus.received.value).group_by(Payment.invoice_id))
    return {invoice_id: int(total) for invoice_id, total in rows}


def _cancelled_by(session: Session, invoice_ids: list[int]) -> dict[int, tuple[int, str]]:
    rows = session.exec(select(Invoice.cancels_invoice_id, Invoice.id, Invoice.number).where(
        Invoice.cancels_invoice_id.in_(invoice_ids)))
    return {original: (cancellation, number) for original, cancellation, number in rows}


def _publics(session: Session, invoices: list[Invoice]) -> list[InvoicePublic]:
    ids = [i.id for i in invoices]
    paid, cancelled_by = _paid(session, ids), _cancelled_by(session, ids)
    lines: dict[int, list[InvoiceLine]] = {}
    for line in session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id.in_(ids)).order_by(InvoiceLine.position)):
        lines.setdefault(line.invoice_id, []).append(line)
    return [_public(i, lines.get(i.id, []), paid.get(i.id, 0), cancelled_by.get(i.id)) for i in invoices]


def _public(invoice: Invoice, lines: list[InvoiceLine], paid: int, cancelled_by: tuple[int, str] | None) -> InvoicePublic:
    status = rules.invoice_status(invoice.kind, invoice.total_cents, paid, invoice.due_date, today(), cancelled_by is not None)
    open_amount = invoice.total_cents - paid if status.value not in ("cancelled", "paid") else 0
    return InvoicePublic(
        **invoice.model_dump(include={"id", "number", "kind", "launch_id", "agency_id", "legal_date", "due_date", "total_cents",
                                      "currency", "seller", "buyer", "cancels_invoice_id", "reason", "issued_by", "created_at"}),
        status=status, paid_cents=paid, outstanding_cents=max(open_amount, 0),
        cancelled_by_invoice_id=cancelled_by[0] if cancelled_by else None,
        lines=[InvoiceLinePublic(description=l.description, quantity=l.quantity, unit_cents=l.unit_cents,
                                 amount_cents=l.amount_cents) for l in lines])


def _detail(session: Session, invoice: Invoice) -> InvoiceDetail:
    [public] = _publics(session, [invoice])
    payments = session.exec(select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.paid_on, Payment.id)).all()
    slug = session.exec(select(Launch.slug).where(Launch.id == invoice.launch_id)).first() or ""
    cancels_number = session.exec(select(Invoice.number).where(Invoice.id == invoice.cancels_invoice_id)).first() \
        if invoice.cancels_invoice_id else None
    cancelled_by = _cancelled_by(session, [invoice.id]).get(invoice.id)
    return InvoiceDetail(**public.model_dump(), launch_slug=slug, cancels_number=cancels_number,
                         cancelled_by_number=cancelled_by[1] if cancelled_by else None,
                         payments=[PaymentPublic(**p.model_dump()) for p in payments])


def invoice_pdf(actor: Actor, invoice_id: int) -> tuple[str, bytes]:
    """The invoice as a PDF, for finance and for the owning agency: the same bytes every time."""
    invoice = get_invoice(actor, invoice_id)
    return f"{invoice.number}.pdf", render(invoice)
