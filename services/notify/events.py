"""The events of IT's work on the notification queue and of travelers unsubscribing. None has a
PostgreSQL transaction (notifications live in MongoDB): they are published through the outbox
stream. Each type is also the activity log's action."""
from services.kernel.events import Event


class NotificationRetried(Event):
    event_type = "notification.retried"
    aggregate = "notification"
    aggregate_key = "notification_id"
    notification_id: str
    from_status: str


class NotificationCancelled(Event):
    event_type = "notification.cancelled"
    aggregate = "notification"
    aggregate_key = "notification_id"
    notification_id: str


class FailedNotificationsRetried(Event):
    """IT's bulk retry after an outage."""
    event_type = "notification.failed_retried"
    aggregate = "notification"
    aggregate_key = "scope"
    scope: str = "failed"
    count: int


class MarketingUnsubscribed(Event):
    event_type = "notification.unsubscribed"
    aggregate = "user"
    aggregate_key = "user_id"
    user_id: str
