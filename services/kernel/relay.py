"""Outbox relay: every committed event reaches every consumer that subscribes to it, at least once.

Three steps, each made of single statements (autocommit); no transaction or lock is held while
a consumer runs:

1. pump: events published without a PostgreSQL transaction (services/kernel/outbox.publish)
   move from the Redis stream into the outbox table, keyed by stream id (moved twice, written once);
2. dispatch: each new event gets one delivery row per consumer subscribed to its type;
3. deliver, consumer by consumer: claim due deliveries in small batches (attempts + 1, and a lease:
   `claimed_by` this process, `lease_until` LEASE ahead, which is also when it is due again), run
   the consumer, then mark them `delivered`, or `pending` again with an exponential backoff, or
   `dead` once the consumer's last attempt failed. A failure to reach a
store (MongoDB, Redis or PostgreSQL down: services/core/breaker.py says which errors those are)
is not the consumer's fault: the delivery gives its attempt back and waits a short, growing
pause (capped at OUTAGE_BACKOFF_CAP), so an outage of any length never makes a delivery `dead`
and delivery resumes by itself within seconds of the store's return. Only a handler's own
errors (a bug, a payload that does not fit) count towards `dead`.

A crash anywhere repeats a step, never skips one: an event not yet dispatched is dispatched by
the next run, a claimed delivery whose consumer never finished is due again when its lease ends.
So consumers are idempotent (the read model writes a card only for a newer launch version, the
activity log is keyed by event id, refunds carry the gateway's idempotency key). Each consumer has
its own rows: one that fails backs off alone, and the others go on.

Every process with the worker role runs all three steps (astrobookings/jobs/runtime.py): claims
take `FOR UPDATE SKIP LOCKED`, so processes share the work without waiting on each other, and
each process renews the leases of what it holds every LEASE / 3 (`renew_leases`). A process that
dies stops renewing: its deliveries are due again within LEASE and another process takes them.
Settling is fenced by `claimed_by`: a process that lost its lease (frozen past it) cannot mark
what another process now holds.

Order. Most consumers need none: the read model and the traveler's bookings project the current
row and keep the newest version (a late, older event changes nothing), the activity log keys
entries by event id and time, refunds and invoices are keyed by what they pay or bill. A consumer
registered `ordered=True` (the emails: a delay must not arrive after the abort that followed it)
gets the events of one aggregate in event order: its claims are serialised by a transaction-scoped
advisory lock (milliseconds, never held while the consumer runs), and a delivery is claimed only
when no earlier delivery of the same aggregate is held elsewhere or waiting for its backoff.
"""
import os
import socket
import threading
import time
import traceback
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.core.breaker import store_of
from services.core.cache import get_redis, key
from services.core.db import one_statement, one_transaction
from services.core.logs import get_logger
from services.core.models.outbox import OutboxEvent
from services.kernel import events as event_types
from services.kernel.events import Envelope
from services.kernel.outbox import STREAM_KEY, row_of_stream_entry

MAX_ATTEMPTS = 10
BACKOFF_BASE = 1.0        # seconds before the 2nd attempt; doubles each time
BACKOFF_CAP = 600.0
OUTAGE_BACKOFF_BASE = 0.25  # seconds before retrying after a store outage; doubles while it lasts
OUTAGE_BACKOFF_CAP = 4.0
# A claimed delivery is due again if its process has not renewed the lease by then (a process
# renews its leases every LEASE / 3 while it lives: a long batch keeps its lease, a dead one loses it).
LEASE = timedelta(seconds=5)
BATCH = 100
PUMP_BATCH = DISPATCH_BATCH = 500
Handler = Callable[[list[Envelope]], None]
_log = get_logger("relay")


@dataclass
class Consumer:
    """A named consumer: the event types it takes (exact names, "prefix." or "" for all), how it
    is called (a batch at once, or one event at a time) and how often it may fail."""
    name: str
    patterns: tuple[str, ...]
    handler: Handler
    batch: bool = False
    max_attempts: int = MAX_ATTEMPTS
    backoff_base: float = BACKOFF_BASE
    batch_size: int = BATCH
    linger: float = 0.0  # seconds between rounds while events keep coming (batch consumers)
    ordered: bool = False  # one aggregate's events in event order, across processes (see above)

    def wants(self, event_type: str) -> bool:
        return any(p == "" or p == event_type or (p.endswith(".") and event_type.startswith(p)) for p in self.patterns)

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_base * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


_consumers: dict[str, Consumer] = {}
# Set for a consumer when new deliveries were made for it: it wakes the consumer's thread, and a
# delivery run already in progress goes round once more instead of missing them.
_woken: dict[str, threading.Event] = {}


def consumer(name: str, *patterns: str, batch: bool = False, max_attempts: int = MAX_ATTEMPTS,
             backoff_base: float = BACKOFF_BASE, batch_size: int = BATCH, linger: float = 0.0, ordered: bool = False):
    """Register a consumer by name; registering a name again replaces it."""
    def register(func: Handler) -> Handler:
        _consumers[name] = Consumer(name, patterns, func, batch, max_attempts, backoff_base, batch_size, linger,
                                    ordered)
        _woken.setdefault(name, threading.Event())
        return func
    return register


# This process's name on the deliveries it holds (claimed_by).
IDENTITY = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def wake_event(name: str) -> threading.Event:
    """Set when the dispatcher made deliveries for this consumer."""
    return _woken.setdefault(name, threading.Event())


def unregister(name: str) -> None:
    _consumers.pop(name, None)


def consumers() -> list[Consumer]:
    return list(_consumers.values())


# --- 1. pump -------------------------------------------------------------------------------

def pump(limit: int = PUMP_BATCH) -> int:
    """Move published events from the Redis stream into the outbox; returns how many were moved."""
    r = get_redis()
    stream = key(*STREAM_KEY)
    entries = r.xrange(stream, count=limit)
    if not entries:
        return 0
    store_stream_entries(entries)
    # Deleted only once they are committed; a crash before this line moves them again, harmlessly.
    r.xdel(stream, *[entry_id for entry_id, _ in entries])
    return len(entries)


def store_stream_entries(entries: list[tuple[str, dict[str, str]]]) -> None:
    """Write stream entries as outbox events; an entry already written (by a run that died before
    deleting it from the stream) is skipped by its unique stream id."""
    rows = [row_of_stream_entry(entry_id, fields) for entry_id, fields in entries]
    with one_statement() as conn:
        conn.execute(pg_insert(OutboxEvent).values(rows).on_conflict_do_nothing(index_elements=["source_ref"]))


# --- 2. dispatch ---------------------------------------------------------------------------

# One statement: claim new events, give each one delivery row per consumer whose patterns take
# its type (the rule of Consumer.wants), mark them dispatched. Returns how many, and who got rows.
_DISPATCH = text("""
    with e as (
        select id, event_type from outbox_event where dispatched_at is null
        order by id limit :limit for update skip locked),
    s as (
        select c, p from unnest(cast(:consumers as text[]), cast(:patterns as text[])) as x(c, p)),
    d as (
        insert into outbox_delivery (event_id, consumer, status, attempts, next_attempt_at, created_at)
        select distinct e.id, s.c, cast('pending' as deliverystatus), 0, now(), now()
        from e join s on s.p = '' or s.p = e.event_type or (right(s.p, 1) = '.' and starts_with(e.event_type, s.p))
        on conflict do nothing
        returning consumer),
    u as (
        update outbox_event set dispatched_at = now() where id in (select id from e) returning id)
    select (select count(*) from u), array(select distinct consumer from d)
""")


def dispatch(limit: int = DISPATCH_BATCH) -> tuple[int, set[str]]:
    """Make the delivery rows of new events; returns how many events, and the consumers that got
    deliveries."""
    if not _consumers:
        # A process that registered no consumer (it never loaded astrobookings/jobs/registry.py)
        # must not mark events dispatched: their deliveries would never be made.
        return 0, set()
    subscriptions = [(c.name, p) for c in _consumers.values() for p in c.patterns]
    # Each of the relay's steps is one statement (or settles rows independently of each other):
    # autocommit, no ORM session, no BEGIN and COMMIT round trips.
    with one_statement() as conn:
        dispatched, names = conn.execute(_DISPATCH, {"limit": limit, "consumers": [c for c, _ in subscriptions],
                                                     "patterns": [p for _, p in subscriptions]}).one()
    woken = set(names or []) & set(_consumers)
    for name in woken:
        _woken[name].set()
    return dispatched, woken


def dispatch_until_idle() -> set[str]:
    """Pump and dispatch until nothing is left; returns the consumers that got deliveries."""
    woken: set[str] = set()
    while True:
        try:
            moved = pump(PUMP_BATCH)
        except Exception:
            # Redis is down: the stream waits there (or its events went straight to PostgreSQL);
            # the events committed in PostgreSQL are dispatched all the same.
            _log.warning("outbox stream unreadable", exc_info=True)
            moved = 0
        dispatched, got = dispatch(DISPATCH_BATCH)
        woken |= got
        # A short round means nothing was left behind it: no need to ask again.
        if moved < PUMP_BATCH and dispatched < DISPATCH_BATCH:
            return woken


# --- 3. deliver ----------------------------------------------------------------------------

_CLAIMED_COLUMNS = """d.attempts, e.id, e.event_type, e.payload, e.aggregate_type, e.aggregate_id, e.aggregate_version,
              e.actor_id, e.actor_email, e.actor_role, e.entry_point, e.client_address, e.created_at"""
# Claimed: attempts + 1, held by this process until its lease ends (then due again).
_TAKE = """
    update outbox_delivery d set attempts = d.attempts + 1, claimed_by = :me, lease_until = now() + :lease,
                                 next_attempt_at = now() + :lease
    from due join outbox_event e on e.id = due.event_id
    where d.consumer = :consumer and d.event_id = due.event_id
    returning """ + _CLAIMED_COLUMNS
_CLAIM = text("""
    with due as (
        select event_id from outbox_delivery
        where consumer = :consumer and status = 'pending' and next_attempt_at <= now()
        order by event_id limit :limit for update skip locked)""" + _TAKE)
# An ordered consumer's claim (after its advisory lock, so it sees every claim before it): a due
# delivery whose aggregate has an earlier one still waiting (held elsewhere, or backing off) stays.
_CLAIM_ORDERED = text("""
    with due as (
        select d.event_id from outbox_delivery d join outbox_event e on e.id = d.event_id
        where d.consumer = :consumer and d.status = 'pending' and d.next_attempt_at <= now()
          and not exists (
            select 1 from outbox_event e2 join outbox_delivery d2 on d2.event_id = e2.id
            where e2.aggregate_type = e.aggregate_type and e2.aggregate_id = e.aggregate_id and e2.id < e.id
              and d2.consumer = d.consumer and d2.status = 'pending' and d2.next_attempt_at > now())
        order by d.event_id limit :limit for update of d skip locked)""" + _TAKE)
_CLAIM_LOCK = text("select pg_advisory_xact_lock(:lock_class, :lock_key)")
_LOCK_CLASS = 0x0B0C  # advisory locks of ordered claims: (class, crc32 of the consumer's name)
_RENEW = text("""
    update outbox_delivery set lease_until = now() + :lease, next_attempt_at = now() + :lease
    where claimed_by = :me and status = 'pending' and lease_until is not null
""")
# Settling clears the claim, and only touches what this process still holds.
_DELIVERED = text("""
    update outbox_delivery set status = 'delivered', delivered_at = now(), last_error = null, claimed_by = null,
                               lease_until = null
    where consumer = :consumer and event_id = any(:ids) and claimed_by = :me
""")
_POSTPONED = text("""
    update outbox_delivery set status = 'pending', attempts = greatest(attempts - 1, 0), last_error = :error,
                               next_attempt_at = :next, claimed_by = null, lease_until = null
    where consumer = :consumer and event_id = any(:ids) and claimed_by = :me
""")
_FAILED = text("""
    update outbox_delivery set status = cast(:status as deliverystatus), last_error = :error, next_attempt_at = :next,
                               claimed_by = null, lease_until = null
    where consumer = :consumer and event_id = :id and claimed_by = :me
""")


@dataclass
class _Claimed:
    event_id: int
    attempts: int
    envelope: Envelope | None  # None: the payload does not fit its event class
    error: str | None = None


def _envelope(row) -> _Claimed:
    attempts, event_id, event_type, payload, agg_type, agg_id, version, actor_id, email, role, entry, address, at = row
    try:
        event = event_types.parse(event_type, payload)
    except Exception as exc:
        return _Claimed(event_id, attempts, None, f"payload does not fit {event_type}: {exc}"[:2000])
    entry_point = getattr(entry, "value", entry)
    return _Claimed(event_id, attempts, Envelope(event_id, event_type, event, agg_type, agg_id, version, actor_id,
                                                 email, role, entry_point, address, at))


def envelope(row: OutboxEvent) -> Envelope:
    """A stored event as a consumer receives it (for replays and tools)."""
    return Envelope(row.id, row.event_type, event_types.parse(row.event_type, row.payload), row.aggregate_type,
                    row.aggregate_id, row.aggregate_version, row.actor_id, row.actor_email, row.actor_role,
                    getattr(row.entry_point, "value", row.entry_point), row.client_address, row.created_at)


def _claim(conn, c: Consumer) -> list[_Claimed]:
    params = {"consumer": c.name, "limit": c.batch_size, "lease": LEASE, "me": IDENTITY}
    if c.ordered:
        # Read committed: the claim's snapshot is taken after the lock is ours, so it sees the
        # claims of every process that held the lock before.
        with one_transaction() as tx:
            tx.execute(_CLAIM_LOCK, {"lock_class": _LOCK_CLASS, "lock_key": _lock_key(c.name)})
            rows = tx.execute(_CLAIM_ORDERED, params).all()
    else:
        rows = conn.execute(_CLAIM, params).all()
    return sorted((_envelope(r) for r in rows), key=lambda x: x.event_id)


def _lock_key(name: str) -> int:
    return zlib.crc32(name.encode()) - 2**31  # an int4


def renew_leases() -> int:
    """Extend the lease of every delivery this process holds (its consumers are still at work);
    returns how many. A process that stops calling this loses them within LEASE."""
    with one_statement() as conn:
        return conn.execute(_RENEW, {"me": IDENTITY, "lease": LEASE}).rowcount


def deliver(name: str) -> int:
    """One round for one consumer: claim what is due, run it, record the outcome. Returns how
    many deliveries it handled (delivered or failed). The connection is kept for the round (one
    checkout), but no transaction is open while the consumer runs."""
    c = _consumers[name]
    with one_statement() as conn:
        claimed = _claim(conn, c)
        if claimed:
            _run(c, claimed, conn)
    return len(claimed)


def _run(c: Consumer, claimed: list[_Claimed], conn) -> None:
    name = c.name
    good = [x for x in claimed if x.envelope is not None]
    failures: list[tuple[_Claimed, str]] = [(x, x.error or "") for x in claimed if x.envelope is None]
    delivered: list[int] = []
    postponed: list[int] = []
    outage = ""
    if c.batch and len(good) > 1:
        try:
            c.handler([x.envelope for x in good])
            delivered = [x.envelope.id for x in good]
            good = []
        except Exception as exc:
            if store_of(exc):
                outage, postponed, good = _describe(exc), [x.event_id for x in good], []
            else:
                _log.warning("batch failed, delivering its events one by one",
                             extra={"fields": {"consumer": name, "events": len(good)}})
    for x in good:
        if outage:  # a store is down: the rest waits with it, without trying
            postponed.append(x.event_id)
            continue
        try:
            c.handler([x.envelope])
            delivered.append(x.envelope.id)
        except Exception as exc:
            if store_of(exc):
                outage = _describe(exc)
                postponed.append(x.event_id)
                continue
            failures.append((x, _describe(exc)))
            _log.warning("delivery failed", extra={"fields": {"consumer": name, "event_id": x.envelope.id,
                                                              "type": x.envelope.event_type, "attempt": x.attempts,
                                                              "error": _describe(exc)[:300]}})
    if outage:
        _log.warning("store unavailable, deliveries postponed",
                     extra={"fields": {"consumer": name, "events": len(postponed), "error": outage[:300]}})
    _settle(conn, c, delivered, failures, postponed, outage)


def _describe(exc: Exception) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]


# Store outages in a row per consumer: the pause before its postponed deliveries grows with them.
_outages: dict[str, int] = {}


def outage_backoff(name: str) -> timedelta:
    n = _outages.get(name, 0)
    return timedelta(seconds=min(OUTAGE_BACKOFF_BASE * 2 ** n, OUTAGE_BACKOFF_CAP))


def _settle(conn, c: Consumer, delivered: list[int], failures: list[tuple[_Claimed, str]],
            postponed: list[int] = (), outage: str = "") -> None:
    now = datetime.now(timezone.utc)
    # Each row settles on its own (autocommit): a crash half-way leaves the rest to their lease.
    if delivered:
        conn.execute(_DELIVERED, {"consumer": c.name, "ids": delivered, "me": IDENTITY})
        _outages.pop(c.name, None)
    if postponed:
        conn.execute(_POSTPONED, {"consumer": c.name, "ids": list(postponed), "error": f"store unavailable: {outage}"[:2000],
                                  "next": now + outage_backoff(c.name), "me": IDENTITY})
        _outages[c.name] = _outages.get(c.name, 0) + 1
    for claimed, error in failures:
        dead = claimed.attempts >= c.max_attempts
        event_id = claimed.event_id
        conn.execute(_FAILED, {"consumer": c.name, "id": event_id, "status": "dead" if dead else "pending",
                               "error": error, "next": now + c.backoff(claimed.attempts), "me": IDENTITY})
        if dead:
            _log.error("delivery dead after its last attempt",
                       extra={"fields": {"consumer": c.name, "event_id": event_id, "attempts": claimed.attempts}})


def deliver_until_idle(name: str) -> None:
    """Deliver to one consumer until nothing is due (the leader runs one of these per consumer).

    The first round after a quiet spell goes at once; while events keep coming, a batch consumer
    lingers a moment between rounds so that each round takes a bigger batch (one insert, one
    projection per launch) instead of paying a round per event."""
    woken = _woken.setdefault(name, threading.Event())
    while (c := _consumers.get(name)) is not None:
        woken.clear()
        # A round that claimed less than a full batch left nothing due behind it.
        if deliver(name) < c.batch_size and not woken.is_set():
            return
        if c.linger:
            time.sleep(c.linger)


def drain(timeout: float = 10.0) -> None:
    """Pump, dispatch and deliver to every consumer until nothing is due (tests and scripts, after
    loading the consumers). Deliveries waiting for their backoff are left for later."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = bool(dispatch_until_idle())
        for c in consumers():
            busy |= deliver(c.name) > 0
        if not busy:
            return
    raise TimeoutError(f"the outbox still had work after {timeout}s")
