"""Per-consumer delivery on the real stores: one consumer failing never stops another, a delivery
that keeps failing ends `dead` and IT can retry it, a crash repeats a delivery, events published
without a transaction move from the Redis stream into the outbox once."""
import threading
import time

import pytest
from sqlmodel import select

from services.core.cache import get_redis, key
from services.core.db import read_session, unit_of_work
from services.core.models.documents import EntryLog
from services.core.models.outbox import OutboxDelivery, OutboxEvent
from services.core.mongo import system_db
from services.auth.events import SignedIn
from services.kernel import deliveries, outbox, relay
from services.kernel.actor import Actor
from services.kernel.errors import Forbidden
from services.kernel.events import Event
from tests.helpers import drain_outbox

IT = Actor(user_id="it-1", email="it@example.com", role="it", entry_point="api")
TRAVELER = Actor(user_id="t-1", email="t@example.com", role="traveler")


class Pinged(Event):
    event_type = "test.pinged"
    aggregate = "probe"
    aggregate_key = "probe_id"
    probe_id: int


class SimulatedCrash(BaseException):
    """Not an Exception: it leaves the relay the way a killed process would, mid-delivery."""


@pytest.fixture
def probes():
    """Two test consumers of `test.` events: `steady` always works, `flaky` fails while told to."""
    seen: dict[str, list[int]] = {"steady": [], "flaky": []}
    state = {"failing": True, "crash_once": False}

    def steady(batch):
        seen["steady"] += [e.event.probe_id for e in batch]

    def flaky(batch):
        if state["crash_once"]:
            state["crash_once"] = False
            raise SimulatedCrash()
        if state["failing"]:
            raise RuntimeError("flaky consumer is down")
        seen["flaky"] += [e.event.probe_id for e in batch]

    relay.consumer("test-steady", "test.")(steady)
    # Long enough that drain()'s next round (another consumer busy, a loaded machine) never finds it due yet.
    relay.consumer("test-flaky", "test.", max_attempts=3, backoff_base=0.5)(flaky)
    drain_outbox()  # earlier tests' events are not these consumers' business
    try:
        yield seen, state
    finally:
        relay.unregister("test-steady")
        relay.unregister("test-flaky")


def _ping(probe_id: int) -> int:
    with unit_of_work() as session:
        return outbox.record(session, Pinged(probe_id=probe_id), IT)


def _delivery(event_id: int, consumer: str) -> OutboxDelivery:
    with read_session() as session:
        return session.get(OutboxDelivery, (event_id, consumer))


def _until(check, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        relay.drain()
        time.sleep(0.02)


def test_a_failing_consumer_never_stops_another_ends_dead_and_a_retry_brings_it_back(probes):
    seen, state = probes
    event_id = _ping(1)
    relay.dispatch_until_idle()
    relay.deliver("test-steady")
    relay.deliver("test-flaky")
    assert seen["steady"] == [1] and seen["flaky"] == []
    assert _delivery(event_id, "test-steady").status.value == "delivered"
    first = _delivery(event_id, "test-flaky")
    assert (first.status.value, first.attempts) == ("pending", 1) and "flaky consumer is down" in first.last_error

    # Its backoff passes, it fails again, until its last attempt: dead. The other never noticed.
    _until(lambda: _delivery(event_id, "test-flaky").status.value == "dead", "the flaky delivery to die")
    dead = _delivery(event_id, "test-flaky")
    assert dead.attempts == 3 and "RuntimeError: flaky consumer is down" in dead.last_error
    assert seen["steady"] == [1]

    listed, total = deliveries.list_dead_deliveries(IT, consumer="test-flaky")
    assert total == 1 and listed[0].event_id == event_id and listed[0].event_type == "test.pinged"
    assert listed[0].subject == "probe:1" and "flaky consumer is down" in listed[0].last_error
    backlog = {b.consumer: b for b in deliveries.backlog(IT)}
    assert backlog["test-flaky"].dead == 1 and "test-steady" not in backlog
    for refused in (lambda: deliveries.list_dead_deliveries(TRAVELER),
                    lambda: deliveries.retry_dead_deliveries(TRAVELER, consumer="test-flaky")):
        with pytest.raises(Forbidden):
            refused()

    state["failing"] = False
    assert deliveries.retry_dead_deliveries(IT, consumer="test-flaky") == 1
    retried = _delivery(event_id, "test-flaky")
    assert (retried.status.value, retried.attempts) == ("pending", 0)
    drain_outbox()
    assert _delivery(event_id, "test-flaky").status.value == "delivered" and seen["flaky"] == [1]
    assert seen["steady"] == [1]  # delivered once to the consumer that never failed
    assert deliveries.list_dead_deliveries(IT, consumer="test-flaky")[1] == 0
    # The retry is a change like any other: it is in the activity log, with who did it.
    entry = system_db()[EntryLog.collection].find_one({"action": "outbox.deliveries_retried", "details.event_ids": event_id})
    assert entry["actor_email"] == IT.email and entry["details"]["scope"] == "test-flaky"


def test_a_crash_during_a_delivery_repeats_it(probes):
    seen, state = probes
    state.update(failing=False, crash_once=True)
    event_id = _ping(2)
    relay.dispatch_until_idle()
    with pytest.raises(SimulatedCrash):
        relay.deliver("test-flaky")
    # Claimed, never settled: still pending, under a lease that keeps other runs off it meanwhile.
    claimed = _delivery(event_id, "test-flaky")
    assert claimed.status.value == "pending" and claimed.attempts == 1 and claimed.last_error is None
    assert relay.deliver("test-flaky") == 0
    with unit_of_work() as session:  # the lease runs out (it would, LEASE later)
        session.get(OutboxDelivery, (event_id, "test-flaky")).next_attempt_at = claimed.created_at
    drain_outbox()
    assert _delivery(event_id, "test-flaky").status.value == "delivered" and seen["flaky"] == [2]


def test_published_events_reach_the_log_and_move_from_the_stream_once(api):
    actor = Actor(user_id="u-stream", email="stream@example.com", role="traveler", entry_point="api",
                  client_address="203.0.113.9")
    outbox.publish(SignedIn(user_id="u-stream", role="traveler"), actor)
    stream = key(*outbox.STREAM_KEY)
    entries = get_redis().xrange(stream)
    mine = [(i, f) for i, f in entries if f["aggregate_id"] == "u-stream"]
    assert len(mine) == 1
    # A relay that died after writing the entries but before deleting them from the stream writes
    # them again: the stream id, unique in the outbox, makes that a no-op.
    relay.store_stream_entries(mine)
    drain_outbox()
    with read_session() as session:
        rows = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_id == "u-stream")).all()
    assert len(rows) == 1 and rows[0].source_ref == f"stream:{mine[0][0]}" and rows[0].client_address == "203.0.113.9"
    assert not [i for i, f in get_redis().xrange(stream) if f["aggregate_id"] == "u-stream"]
    entry = system_db()[EntryLog.collection].find_one({"_id": f"event-{rows[0].id}"})
    assert entry["action"] == "auth.signed_in" and entry["actor_email"] == "stream@example.com"
    assert entry["client_address"] == "203.0.113.9" and entry["entry_point"] == "api"


def _mongo_process(stack):
    procs = [p for p in stack.embedded.procs if any("secantusd" in str(a) for a in p.args)]
    assert procs, "this test freezes the run's own MongoDB-wire server (unset TEST_MONGODB_URL)"
    return procs[0]


def test_a_change_answers_while_mongodb_is_frozen_and_its_log_entry_arrives_after(api, stack):
    import os
    import signal

    from tests.agency_helpers import PROFILE, new_agency

    headers = new_agency(api)
    assert api.get("/api/agency/profile", headers=headers).status_code == 200  # the account is cached
    drain_outbox()
    mongo = _mongo_process(stack)
    answer: dict = {}

    def change():
        answer["response"] = api.put("/api/agency/profile", headers=headers, json={**PROFILE, "name": "Frozen Orbital"})

    os.kill(mongo.pid, signal.SIGSTOP)
    try:
        worker = threading.Thread(target=change, daemon=True)
        worker.start()
        worker.join(timeout=15)
        assert not worker.is_alive(), "the change waited on MongoDB"
    finally:
        os.kill(mongo.pid, signal.SIGCONT)
    assert answer["response"].status_code == 200, answer["response"].text
    agency_id = answer["response"].json()["id"]
    drain_outbox(timeout=30)
    entry = system_db()[EntryLog.collection].find_one({"action": "agency.profile_updated", "subject": f"agency:{agency_id}"})
    assert entry is not None and "name" in entry["details"]["fields"]


@pytest.mark.parametrize("outage", [
    lambda: __import__("pymongo.errors").errors.ServerSelectionTimeoutError("no servers: MongoDB is down"),
    lambda: __import__("redis").ConnectionError("Redis refused the connection"),
    lambda: __import__("psycopg").OperationalError("connection refused"),
])
def test_a_store_outage_never_uses_up_attempts_and_delivery_resumes(outage):
    """A consumer whose store is down, many more times than its attempts: its delivery is never
    `dead`, the attempts are given back, and it is delivered once the store answers again."""
    state = {"down": True, "calls": 0, "seen": []}

    def reads_a_store(batch):
        state["calls"] += 1
        if state["down"]:
            raise outage()
        state["seen"] += [e.event.probe_id for e in batch]

    relay.consumer("test-outage", "test.", max_attempts=2, backoff_base=0.01)(reads_a_store)
    drain_outbox()
    try:
        event_id = _ping(42)
        relay.dispatch_until_idle()
        # Six rounds against a store that is down: three times the consumer's attempts.
        for _ in range(6):
            _force_due(event_id)
            assert relay.deliver("test-outage") == 1
        assert state["calls"] == 6
        row = _delivery(event_id, "test-outage")
        assert row.status.value == "pending" and row.attempts == 0
        assert "store unavailable" in row.last_error
        state["down"] = False
        _force_due(event_id)
        relay.deliver("test-outage")
        row = _delivery(event_id, "test-outage")
        assert row.status.value == "delivered" and state["seen"] == [42]
    finally:
        relay.unregister("test-outage")


def _force_due(event_id: int) -> None:
    """The outage's pause is over (without waiting for it)."""
    from sqlalchemy import text

    with unit_of_work() as session:
        session.execute(text("update outbox_delivery set next_attempt_at = now() where event_id = :id"),
                        {"id": event_id})
