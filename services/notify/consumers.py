"""The `notify` consumer: events become notification documents (who hears what: audience.py), and
the sender is woken. Idempotent: a notification's id is derived from (event, kind, recipient), so
a repeated delivery inserts nothing new and no email goes out twice."""
from services.core.logs import get_logger
from services.core.settings import get_settings
from services.finance import invoice_pdf
from services.kernel.actor import SYSTEM
from services.kernel.events import Envelope
from services.kernel.relay import consumer
from services.notify import audience, sender, store
from services.notify.facts import StoreFacts

_log = get_logger("notify")


@consumer("notify", *audience.EVENT_TYPES, batch=True)
def notify(batch: list[Envelope]) -> None:
    facts = StoreFacts()
    base_url = get_settings().public_base_url
    made = []
    for envelope in batch:
        for draft in audience.drafts(envelope, facts, base_url):
            made.append(store.build(draft, envelope.id, envelope.event_type, envelope.created_at,
                                    _attachments(draft)))
    if store.insert(made):
        sender.wake.set()


def _attachments(draft: audience.Draft) -> list[dict]:
    if draft.attach_invoice_id is None:
        return []
    filename, pdf = invoice_pdf(SYSTEM, draft.attach_invoice_id)
    return [{"filename": filename, "content_type": "application/pdf", "data": pdf}]
