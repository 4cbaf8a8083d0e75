"""Overdue reminders: the scheduler's daily job emits one `invoice.overdue` event per overdue
invoice and reminder step (7, 14, 30 days late), each exactly once: the reminder row's primary
key refuses a second, whatever the retries or the number of workers."""
from sqlalchemy import text

from services.core.db import unit_of_work
from services.core.models.finance import Invoice
from services.finance import rules
from services.finance.events import InvoiceOverdue
from services.finance.invoices import STAFF, today
from services.finance.queries import overdue_for_reminders
from services.kernel import outbox
from services.kernel.actor import Actor

_SENT = text("select step_days from invoice_reminder where invoice_id = :id")
_CLAIM = text("insert into invoice_reminder (invoice_id, step_days, created_at) values (:id, :step, now()) "
              "on conflict do nothing returning invoice_id")


def send_due_reminders(actor: Actor) -> int:
    """Returns how many reminder events were recorded."""
    actor.require("system", *STAFF)
    sent, now = 0, today()
    with unit_of_work() as session:
        for invoice_id, due in overdue_for_reminders(session, now):
            done = set(session.execute(_SENT, {"id": invoice_id}).scalars().all())
            for step in rules.reminder_steps_due(due, now, done):
                if session.execute(_CLAIM, {"id": invoice_id, "step": step}).first() is None:
                    continue
                invoice = session.get(Invoice, invoice_id)
                outbox.record(session, InvoiceOverdue(invoice_id=invoice_id, number=invoice.number,
                                                      agency_id=invoice.agency_id, days_late=step,
                                                      due_date=due.isoformat()), actor)
                sent += 1
    return sent
