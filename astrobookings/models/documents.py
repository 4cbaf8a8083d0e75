"""Documents kept in MongoDB: the system database and the customer read model.

Each class names its collection; `_id` is a string so ids travel unchanged through URLs.
"""
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from astrobookings.models.base import utcnow


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


class RevokedToken(Document):
    """A signed-out token's jti; a TTL index drops it once the token would have expired."""
    collection: ClassVar[str] = "revoked_tokens"
    expires_at: datetime


class EntryLog(Document):
    collection: ClassVar[str] = "entry_logs"
    at: datetime = Field(default_factory=utcnow)
    action: str
    actor_id: str | None = None
    actor_email: str | None = None
    actor_role: str | None = None
    entry_point: str = "web"
    client_address: str | None = None
    subject: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class NotificationStatus(str, Enum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    cancelled = "cancelled"


class Notification(Document):
    collection: ClassVar[str] = "notifications"
    to: str
    subject: str
    body: str
    kind: str
    status: NotificationStatus = NotificationStatus.pending
    attempts: list[dict[str, Any]] = Field(default_factory=list)
    retry_at: datetime | None = None
    source_event_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class JobStatus(str, Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class JobQueue(Document):
    collection: ClassVar[str] = "sync_jobs"
    kind: str
    status: JobStatus = JobStatus.queued
    total: int = 0
    processed: int = 0
    repaired: int = 0
    requested_by: str | None = None
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
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
