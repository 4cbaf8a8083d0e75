"""The `notify` consumer: events become notification documents (who hears what: audience.py), and
the sender is woken. Idempotent: a notification's id is derived from (event, kind, recipient), so
a repeated delivery inserts nothing new and no email goes out twice."""
from services.core.logs import get_logger
from services.core.settings import get_settings
from services.booking import receipt_pdf
from services.finance import invoice_pdf
from services.kernel.actor import SYSTEM
from services.kernel.events import Envelope
from services.kernel.relay import consumer
from services.notify import audience, sender, store
from services.notify.facts import StoreFacts

_log = get_logger("notify")


# Ordered: one launch's or booking's emails go out in event order. Small batches: each event may
# render a PDF, and other workers take the next batch meanwhile.
@consumer("notify", *audience.EVENT_TYPES, batch=True, ordered=True, batch_size=20)
def notify(batch: list[Envelope]) -> None:
    facts = StoreFacts()
    settings = get_settings()
    made = []
    for envelope in batch:
        for draft in audience.drafts(envelope, facts, settings.public_base_url, settings.mail_from):
            made.append(store.build(draft, envelope.id, envelope.event_type, envelope.created_at,
                                    _attachments(draft)))
    if store.insert(made):
        sender.wake.set()


def _attachments(draft: audience.Draft) -> list[dict]:
    """The PDFs read from the stores (invoice, receipt), then what the draft carries already."""
    found = []
    if draft.attach_invoice_id is not None:
        found.append(invoice_pdf(SYSTEM, draft.attach_invoice_id))
    if draft.attach_receipt_booking_id is not None:
        found.append(receipt_pdf(SYSTEM, draft.attach_receipt_booking_id))
    return [{"filename": name, "content_type": "application/pdf", "data": pdf} for name, pdf in found] + draft.attachments
