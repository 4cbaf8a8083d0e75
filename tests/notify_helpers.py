"""Helpers for notification tests: run the relay and the sender, and read what reached the SMTP server."""
from datetime import datetime, timedelta, timezone

from tests.helpers import drain_outbox


def deliver_mail(at: datetime | None = None, timeout: float = 10.0) -> dict:
    """Every event to its consumers (within `timeout` seconds), then the sender's rounds (at `at`,
    default now) until one finds less than a full batch (earlier tests may have left a backlog).
    Returns the summed counts."""
    from services.notify import sender

    drain_outbox(timeout)
    total = {"recovered": 0, "sent": 0, "retry": 0, "failed": 0}
    while True:
        counts = sender.send_due(at)
        total = {k: total[k] + counts[k] for k in total}
        if counts["sent"] + counts["retry"] + counts["failed"] < sender.BATCH:
            return total


def later(seconds: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)


def notifications(**query) -> list[dict]:
    from services.notify import store

    return list(store.collection().find(query))


def mail_to(mailbox, address: str, subject_part: str = "") -> list:
    return [m for m in mailbox.to(address) if subject_part in (m["Subject"] or "")]


def body_of(message, subtype: str = "plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode()
    return ""
