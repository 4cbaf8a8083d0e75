"""Notify: emails over SMTP and the in-app inbox, from outbox events.

Owns the `notifications` and `mail_optouts` collections (MongoDB system database). Consumes, as
the `notify` consumer (consumers.py), booking, refund, launch, invoice and payment events, and
writes one Notification per recipient (who hears what: audience.py; templates: templates/*.j2).
The sender (sender.py) sends them over SMTP from the scheduler's leader, with retries. IT steers
the queue (queue.py); travelers and agencies read their own (inbox.py). Publishes
`notification.retried|cancelled|failed_retried|unsubscribed` (events.py).

Public surface for other domains (the IT status page): `notification_service_status`.
"""
from services.notify.queue import notification_service_status

__all__ = ["notification_service_status"]
