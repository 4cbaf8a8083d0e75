"""Shared column helpers for the PostgreSQL tables."""
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def timestamp_field(**kwargs):
    """A timezone-aware timestamp column defaulting to now (UTC)."""
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


def optional_timestamp_field(**kwargs):
    return Field(default=None, sa_type=DateTime(timezone=True), **kwargs)
