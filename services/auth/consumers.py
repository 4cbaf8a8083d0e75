"""The `account-copy` consumer: after each event that creates or changes an account, its copy in
PostgreSQL is refreshed (services/auth/copies.py), once per account per batch."""
from services.auth import copies
from services.kernel.events import Envelope
from services.kernel.relay import consumer

EVENTS = ("auth.registered", "auth.signed_in", "auth.profile_updated", "auth.user_created", "auth.user_updated")


@consumer("account-copy", *EVENTS, batch=True)
def keep_account_copies(batch: list[Envelope]) -> None:
    copies.refresh(e.event.user_id for e in batch)
