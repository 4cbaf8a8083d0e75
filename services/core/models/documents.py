"""Documents kept in MongoDB: the system database and the customer read model.

Each class names its collection; `_id` is a string so ids travel unchanged through URLs.
"""
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, computed_field

from services.core.models.base import utcnow


class Role(str, Enum):
    traveler = "traveler"
    agency = "agency"
    finance = "finance"
    it = "it"
    admin = "admin"


class Document(BaseModel):
    model_config = ConfigDict(populate_by_name=True, use_enum_values=True)
    collection: ClassVar[str]
    id: str = Field(alias="_id")

    def to_mongo(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


class User(Document):
    collection: ClassVar[str] = "users"
    email: str
    password_hash: str
    name: str
    role: Role
    phone: str | None = None
    tax_id: str | None = None
    address: str | None = None
    disabled: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    last_sign_in_at: datetime | None = None


class RevokedToken(Document):
    """A signed-out token's jti; a TTL index drops it once the token would have expired."""
    collection: ClassVar[str] = "revoked_tokens"
    expires_at: datetime


class EntryLog(Document):
    """One change (or sign-in) from its outbox event: `action` is the event's type, `event_id` the
    event it came from (and so its origin)."""
    collection: ClassVar[str] = "entry_logs"
    event_id: int | None = None
    at: datetime = Field(default_factory=utcnow)
    action: str
    actor_id: str | None = None
    actor_email: str | None = None
    actor_role: str | None = None
    entry_point: str = "web"
    client_address: str | None = None
    subject: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)

    @computed_field
    @property
    def search(self) -> str:
        """What free text matches, in one lower-case field: one regex on it keeps the other filters'
        indexes usable (an `$or` of regexes over several fields would read the whole log)."""
        return " ".join(v for v in (self.action, self.actor_email, self.subject, self.client_address) if v).lower()


class NotificationStatus(str, Enum):
    pending = "pending"
    sending = "sending"    # claimed by the sender; back to pending if it has not answered in time
    sent = "sent"
    failed = "failed"
    cancelled = "cancelled"


class Notification(Document):
    """One email (and in-app notice) to one recipient, made from one outbox event. The id is
    derived from (source event, kind, recipient), so a replayed event makes nothing new, and
    the Message-ID from the id, so a receiver can drop the rare duplicate of a retried send."""
    collection: ClassVar[str] = "notifications"
    to: str
    user_id: str | None = None       # whose inbox shows it (None: an address with no account)
    kind: str
    subject: str
    text: str
    html: str
    marketing: bool = False
    source_event_id: int
    source_event_type: str
    status: NotificationStatus = NotificationStatus.pending
    attempts: list[dict[str, Any]] = Field(default_factory=list)  # {at, outcome, detail}
    # Attempts before this index belong to an earlier round (IT's "retry now" starts a new one).
    round_start: int = 0
    next_attempt_at: datetime | None = Field(default_factory=utcnow)
    sending_since: datetime | None = None
    message_id: str
    # {filename, content_type, size}: their bytes travel inside `raw` ({..., data} before raw existed).
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    # The whole email as SMTP carries it, built when the notification is written (services/notify/mime.py).
    raw: bytes | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    read_at: datetime | None = None


class JobStatus(str, Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


class JobQueue(Document):
    """A sync job (full resync or reconciliation) run by the scheduler in batches. `position` is
    where the next batch starts (phase and the last id done), so a restarted leader resumes there;
    `found` counts what reconciliation found per kind (missing, orphan, differing cards)."""
    collection: ClassVar[str] = "sync_jobs"
    kind: str
    status: JobStatus = JobStatus.queued
    total: int = 0
    processed: int = 0
    repaired: int = 0
    errors: int = 0
    position: dict[str, Any] = Field(default_factory=dict)
    found: dict[str, int] = Field(default_factory=dict)
    # The ids of the documents repaired, per projection (the first REPAIRED_IDS_KEPT of each).
    repaired_ids: dict[str, list[str]] = Field(default_factory=dict)
    cancel_requested: bool = False
    requested_by: str | None = None
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    updated_at: datetime | None = None
    finished_at: datetime | None = None


class SystemMetric(Document):
    collection: ClassVar[str] = "system_metrics"
    name: str
    value: float
    at: datetime = Field(default_factory=utcnow)
    labels: dict[str, str] = Field(default_factory=dict)


class LaunchCard(Document):
    """One published launch in the customer read model (id is the launch id as a string)."""
    collection: ClassVar[str] = "launch_cards"
    launch_id: int
    slug: str
    agency_name: str
    rocket_name: str
    rocket_range: str
    spaceport: str
    spaceport_name: str
    destination: str
    date: datetime
    price_cents: int
    seats_offered: int
    seats_free: int
    status: str
    version: int
    bookable: bool
    # Where this card's content came from: {"event_id": n} when projected from an outbox event,
    # {"sync_job": id} when a resync or reconciliation wrote it.
    origin: dict[str, Any] = Field(default_factory=dict)


class TravelerBooking(Document):
    """A traveler's booking in the customer read model (id is the booking id as a string)."""
    collection: ClassVar[str] = "traveler_bookings"
    booking_id: int
    traveler_id: str
    launch_id: int
    seats: int
    amount_cents: int
    refund_cents: int
    status: str
    created_at: datetime
    origin: dict[str, Any] = Field(default_factory=dict)
