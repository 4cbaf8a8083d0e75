"""Outbox: every business change appends one event in the same transaction; each consumer keeps
its own delivery state per event."""
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from services.core.models.base import optional_timestamp_field, timestamp_field


class EntryPoint(str, Enum):
    web = "web"
    api = "api"
    job = "job"
    sync = "sync"
    cli = "cli"  # the host's console (python -m astrobookings.admin)


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_undispatched", "id", postgresql_where=text("dispatched_at is null")),
                      Index("ix_outbox_event_aggregate", "aggregate_type", "aggregate_id", "id"))
    id: int | None = Field(default=None, primary_key=True)
    event_type: str = Field(max_length=60, index=True)
    aggregate_type: str = Field(max_length=40)
    aggregate_id: str = Field(max_length=254)
    aggregate_version: int = 1
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON().with_variant(JSONB(), "postgresql"))
    actor_id: str | None = Field(default=None, max_length=64)
    actor_email: str | None = Field(default=None, max_length=254)
    actor_role: str | None = Field(default=None, max_length=20)
    entry_point: EntryPoint = EntryPoint.web
    client_address: str | None = Field(default=None, max_length=64)
    # Events published without a PostgreSQL transaction (sign-in, sign-out) come through a Redis
    # stream; its entry id, unique here, makes moving an entry twice write it once.
    source_ref: str | None = Field(default=None, max_length=80, unique=True)
    created_at: datetime = timestamp_field()
    # When the relay made this event's delivery rows (one per consumer that subscribes to it).
    dispatched_at: datetime | None = optional_timestamp_field()


class DeliveryStatus(str, Enum):
    pending = "pending"
    delivered = "delivered"
    dead = "dead"


class OutboxDelivery(SQLModel, table=True):
    """One event for one consumer: its attempts, last error and next attempt time."""
    __tablename__ = "outbox_delivery"
    __table_args__ = (
        Index("ix_outbox_delivery_due", "consumer", "next_attempt_at", postgresql_where=text("status = 'pending'")),
        Index("ix_outbox_delivery_dead", "consumer", "event_id", postgresql_where=text("status = 'dead'")),
        Index("ix_outbox_delivery_claimed", "claimed_by", postgresql_where=text("claimed_by is not null")),
    )
    event_id: int = Field(foreign_key="outbox_event.id", primary_key=True)
    consumer: str = Field(max_length=60, primary_key=True)
    status: DeliveryStatus = DeliveryStatus.pending
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime = timestamp_field()
    created_at: datetime = timestamp_field()
    delivered_at: datetime | None = optional_timestamp_field()
    # The worker process that holds it, until when (services/kernel/relay.py: claims and leases).
    claimed_by: str | None = Field(default=None, max_length=80)
    lease_until: datetime | None = optional_timestamp_field()
