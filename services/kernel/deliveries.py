"""What IT sees of the outbox: each consumer's backlog, the dead deliveries, and retrying them.

A delivery goes `pending` -> `delivered`, or `pending` -> (failed, backoff) -> `pending` ... ->
`dead` after the consumer's last attempt. Retrying a dead delivery makes it `pending` again with
its attempts back to zero; the retry is itself an event, so it lands in the activity log.
"""
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import text

from services.core.db import read_session, unit_of_work
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import ValidationFailed
from services.kernel.events import Event

OPERATORS = ("it", "admin")


class DeliveriesRetried(Event):
    event_type = "outbox.deliveries_retried"
    aggregate = "consumer"
    aggregate_key = "scope"
    scope: str  # the consumer's name, or "all"
    event_ids: list[int]
    count: int


class DeadDelivery(BaseModel):
    event_id: int
    consumer: str
    event_type: str
    subject: str
    attempts: int
    last_error: str | None
    event_created_at: datetime
    failed_at: datetime


class ConsumerBacklog(BaseModel):
    consumer: str
    pending: int
    due: int
    dead: int
    oldest_pending_at: datetime | None
    in_progress: int = 0  # claimed by a worker process whose lease still runs
    processes: int = 0    # how many worker processes hold them


def list_dead_deliveries(actor: Actor, *, consumer: str | None = None, page: int = 1,
                         per_page: int = 50) -> tuple[list[DeadDelivery], int]:
    """Dead deliveries, newest event first, with the consumer's last error."""
    actor.require(*OPERATORS)
    page, per_page = max(page, 1), min(max(per_page, 1), 200)
    where = "d.status = 'dead'" + (" and d.consumer = :consumer" if consumer else "")
    with read_session() as session:
        total = session.execute(text(f"select count(*) from outbox_delivery d where {where}"), {"consumer": consumer}).scalar_one()
        rows = session.execute(text(f"""
            select d.event_id, d.consumer, e.event_type, e.aggregate_type || ':' || e.aggregate_id, d.attempts,
                   d.last_error, e.created_at, d.next_attempt_at
            from outbox_delivery d join outbox_event e on e.id = d.event_id
            where {where} order by d.event_id desc limit :limit offset :offset"""),
            {"consumer": consumer, "limit": per_page, "offset": (page - 1) * per_page}).all()
    return [DeadDelivery(event_id=r[0], consumer=r[1], event_type=r[2], subject=r[3], attempts=r[4], last_error=r[5],
                         event_created_at=r[6], failed_at=r[7]) for r in rows], total


def retry_dead_deliveries(actor: Actor, *, consumer: str | None = None, event_ids: list[int] | None = None) -> int:
    """Make dead deliveries pending again (all, one consumer's, or the given events'); returns how many."""
    actor.require(*OPERATORS)
    if event_ids is not None and not event_ids:
        raise ValidationFailed("Name at least one event to retry.", field="event_ids")
    conditions = ["status = 'dead'"]
    if consumer:
        conditions.append("consumer = :consumer")
    if event_ids:
        conditions.append("event_id = any(:ids)")
    with unit_of_work() as session:
        retried = session.execute(text(f"""
            update outbox_delivery set status = 'pending', attempts = 0, next_attempt_at = now()
            where {' and '.join(conditions)} returning event_id"""), {"consumer": consumer, "ids": event_ids}).scalars().all()
        if retried:
            outbox.record(session, DeliveriesRetried(scope=consumer or "all", event_ids=sorted(set(retried)),
                                                     count=len(retried)), actor)
    return len(retried)


def backlog(actor: Actor) -> list[ConsumerBacklog]:
    """Per consumer: deliveries waiting (and due now), dead ones, the oldest waiting event, and
    those in progress (claimed under a live lease) with how many worker processes hold them."""
    actor.require(*OPERATORS)
    with read_session() as session:
        rows = session.execute(text("""
            select d.consumer,
                   count(*) filter (where d.status = 'pending'),
                   count(*) filter (where d.status = 'pending' and d.next_attempt_at <= now()),
                   count(*) filter (where d.status = 'dead'),
                   min(e.created_at) filter (where d.status = 'pending'),
                   count(*) filter (where d.status = 'pending' and d.lease_until > now()),
                   count(distinct d.claimed_by) filter (where d.status = 'pending' and d.lease_until > now())
            from outbox_delivery d join outbox_event e on e.id = d.event_id
            where d.status <> 'delivered' group by d.consumer order by d.consumer""")).all()
    return [ConsumerBacklog(consumer=r[0], pending=r[1], due=r[2], dead=r[3], oldest_pending_at=r[4], in_progress=r[5],
                            processes=r[6]) for r in rows]
