"""Typed outbox events: one class per event type, with its payload fields.

Each domain declares its events in its own `events.py`; a class names its type (which is also
the activity log's action, e.g. `launch.scheduled`), the aggregate it is about and the payload
field that holds that aggregate's id. Consumers receive an `Envelope`: the typed event with its
origin (who, which role, which entry point, from which address) and when it happened.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

_TYPES: dict[str, type["Event"]] = {}


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str] = ""
    aggregate: ClassVar[str] = ""
    aggregate_key: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.__dict__.get("event_type"):
            return
        known = _TYPES.get(cls.event_type)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"Event type {cls.event_type!r} is declared twice: {known.__qualname__}, {cls.__qualname__}")
        if cls.aggregate_key not in cls.model_fields:
            raise TypeError(f"{cls.__qualname__}.aggregate_key names no field: {cls.aggregate_key!r}")
        _TYPES[cls.event_type] = cls

    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate_key))

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def touched_launches(self) -> list[int]:
        """The launches this event changes (the read model re-projects them): its `launch_id` and
        `launch_ids` fields, when it has them."""
        ids = {int(i) for i in getattr(self, "launch_ids", None) or []}
        if getattr(self, "launch_id", None) is not None:
            ids.add(int(self.launch_id))
        return sorted(ids)


class UnknownEvent(Event):
    """An event whose class this process does not know (a newer release wrote it): its raw payload."""
    data: dict[str, Any] = {}


def event_class(event_type: str) -> type[Event] | None:
    return _TYPES.get(event_type)


def parse(event_type: str, payload: dict[str, Any]) -> Event:
    cls = _TYPES.get(event_type)
    if cls is None:
        return UnknownEvent(data=dict(payload or {}))
    return cls.model_validate(payload or {})


@dataclass(frozen=True)
class Envelope:
    """A committed event as a consumer sees it."""
    id: int
    event_type: str
    event: Event
    aggregate_type: str
    aggregate_id: str
    version: int
    actor_id: str | None
    actor_email: str | None
    actor_role: str | None
    entry_point: str
    client_address: str | None
    created_at: datetime

    @property
    def subject(self) -> str:
        return f"{self.aggregate_type}:{self.aggregate_id}"
