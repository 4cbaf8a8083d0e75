"""Outbox relay: deliver committed events to their handlers, at least once, in order.

Events are claimed with FOR UPDATE SKIP LOCKED and marked done in the same transaction as the
claim, after their handlers ran. A crash before that commit leaves them unprocessed, so they run
again: handlers must be idempotent (the read model applies a launch only if its version is newer;
notifications are keyed by source event).
"""
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from sqlmodel import select

from astrobookings.db import unit_of_work
from astrobookings.jobs.scheduler import every
from astrobookings.logs import get_logger
from astrobookings.models.outbox import OutboxEvent

MAX_ATTEMPTS = 10
Handler = Callable[[OutboxEvent], None]
BatchHandler = Callable[[list[OutboxEvent]], None]
_handlers: list[tuple[str, Handler]] = []
_batch_handlers: list[tuple[str, BatchHandler]] = []
_log = get_logger("relay")


def handles(prefix: str):
    """Register a handler for every event whose type starts with `prefix` ("" for all)."""
    def register(func: Handler) -> Handler:
        _handlers.append((prefix, func))
        return func
    return register


def handles_batch(prefix: str):
    """Register a handler called once per relay batch with all events whose type starts with
    `prefix`: for work that several events share (one launch booked ten times is projected once)."""
    def register(func: BatchHandler) -> BatchHandler:
        _batch_handlers.append((prefix, func))
        return func
    return register


def _run_batch_handlers(events: list[OutboxEvent]) -> None:
    for prefix, handler in _batch_handlers:
        matching = [e for e in events if e.event_type.startswith(prefix)]
        if matching:
            handler(matching)


def relay_once(batch: int = 200) -> int:
    with unit_of_work() as session:
        events = session.exec(
            select(OutboxEvent)
            .where(OutboxEvent.processed_at.is_(None), OutboxEvent.attempts < MAX_ATTEMPTS)
            .order_by(OutboxEvent.id).limit(batch).with_for_update(skip_locked=True)
        ).all()
        try:
            _run_batch_handlers(list(events))
            batch_error = None
        except Exception as exc:
            batch_error = exc
            _log.exception("batch handler failed", extra={"fields": {"events": len(events)}})
        for event in events:
            try:
                if batch_error is not None:
                    raise batch_error
                for prefix, handler in _handlers:
                    if event.event_type.startswith(prefix):
                        handler(event)
                event.processed_at = datetime.now(timezone.utc)
            except Exception as exc:
                event.attempts += 1
                event.last_error = f"{type(exc).__name__}: {exc}"[:500]
                if exc is not batch_error:
                    _log.exception("event handler failed", extra={"fields": {"event_id": event.id, "type": event.event_type}})
            session.add(event)
    return len(events)


# Set by a commit's nudge; a run in progress sees it and goes round once more, because the
# scheduler skips a nudge that arrives while the job is still running.
nudged = threading.Event()


@every(1.0, job_id="outbox-relay")
def relay_job() -> None:
    while True:
        nudged.clear()
        if relay_once() == 0 and not nudged.is_set():
            return
