"""Demo invoices: the fee invoice of every launch that ended, issued on its day by the system (as
the scheduler's consumer would), and settled as its plan says: paid by bank transfer, paid by the
agency's card, partially paid, left pending, overdue (with the reminders the daily job sends),
or cancelled and issued again. Through the finance services, dated with the clock they take."""
from datetime import datetime, timedelta

from sqlmodel import select

from services.core.db import read_session
from services.core.models.finance import Invoice, InvoiceKind
from services.finance import invoices, payments, reminders
from services.kernel.actor import SYSTEM, Actor
from services.kernel.payments import APPROVE_CARD

FINANCE_EMAIL = "finance@example.com"
PAID_AFTER_DAYS = 9
# A share of the fee for the plans that pay part of it.
PARTIAL = {"partial": 0.5, "overdue_partial": 0.3}


def finance_actor(user_id: str) -> Actor:
    return Actor(user_id=user_id, email=FINANCE_EMAIL, role="finance", name="Fiona Finance")


def live_invoice(launch_id: int) -> Invoice | None:
    with read_session() as session:
        cancelled = select(Invoice.cancels_invoice_id).where(Invoice.cancels_invoice_id.is_not(None))
        return session.exec(select(Invoice).where(Invoice.launch_id == launch_id,
                                                  Invoice.kind != InvoiceKind.cancellation.value,
                                                  Invoice.id.not_in(cancelled))).first()


def issue(finance: Actor, launch_id: int, at: datetime) -> int | None:
    """The launch's invoice dated `at`. A scheduler already running (a test server beside the
    seeding) may have issued it today first: finance then corrects it to the launch's day, the way
    any misdated invoice is corrected."""
    invoice_id = invoices.issue_when_launch_ends(SYSTEM, launch_id, now=at)
    if invoice_id is not None:
        return invoice_id
    live = live_invoice(launch_id)
    if live is None:
        return None
    if live.legal_date == at.date():
        return live.id
    return invoices.cancel_invoice(finance, live.id, {"reason": "Dated on the launch day", "reissue": True}, now=at).id


def settle_steps(plan: str, finance: Actor, agency: Actor, invoice_of, at: datetime,
                 today: datetime) -> list[tuple[datetime, callable]]:
    """What happens to the invoice after it is issued at `at`: (when, step) pairs. `invoice_of()`
    gives the invoice's id once it exists."""
    paid_on = min(at + timedelta(days=PAID_AFTER_DAYS), today)

    def pay_all(when: datetime):
        return lambda: _pay(finance, invoice_of(), None, when)

    if plan == "paid":
        return [(paid_on, pay_all(paid_on))]
    if plan in PARTIAL:
        when = min(at + timedelta(days=5), today)
        return [(when, lambda: _pay(finance, invoice_of(), PARTIAL[plan], when))]
    if plan == "paid_by_card":
        return [(today, lambda: payments.pay_by_card(agency, invoice_of(), {"card_number": APPROVE_CARD}))]
    if plan == "corrected":
        fixed = at + timedelta(days=3)
        cancel = lambda: invoices.cancel_invoice(  # noqa: E731
            finance, invoice_of(), {"reason": "Net revenue restated after a late refund", "reissue": True}, now=fixed)
        later = min(fixed + timedelta(days=PAID_AFTER_DAYS), today)
        return [(fixed, cancel), (later, pay_all(later))]
    return []  # pending, overdue: nothing paid


def _pay(finance: Actor, invoice_id: int, share: float | None, when: datetime) -> None:
    invoice = invoices.get_invoice(finance, invoice_id)
    amount = invoice.outstanding_cents if share is None else max(int(invoice.total_cents * share), 1)
    if amount <= 0:
        return
    payments.record_payment(finance, invoice_id, {"amount_cents": amount, "method": "bank_transfer",
                                                  "reference": f"BT-{invoice.number}", "paid_on": when.date()})


def send_reminders() -> int:
    """The daily job's run for today: reminders for the overdue invoices (7, 14 and 30 days late)."""
    return reminders.send_due_reminders(SYSTEM)
