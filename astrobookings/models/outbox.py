"""Outbox: every business change appends one event in the same transaction."""
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from astrobookings.models.base import optional_timestamp_field, timestamp_field


class EntryPoint(str, Enum):
    web = "web"
    api = "api"
    job = "job"
    sync = "sync"


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    id: int | None = Field(default=None, primary_key=True)
    event_type: str = Field(max_length=60, index=True)
    aggregate_type: str = Field(max_length=40)
    aggregate_id: int
    aggregate_version: int = 1
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON().with_variant(JSONB(), "postgresql"))
    actor_id: str | None = Field(default=None, max_length=64)
    actor_email: str | None = Field(default=None, max_length=254)
    actor_role: str | None = Field(default=None, max_length=20)
    entry_point: EntryPoint = EntryPoint.web
    created_at: datetime = timestamp_field()
    processed_at: datetime | None = optional_timestamp_field(index=True)
    attempts: int = 0
    last_error: str | None = None
