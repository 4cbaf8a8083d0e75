"""Several worker processes share the outbox's deliveries (issue 19): real processes, started by
the test, on the run's stores. Each runs the production runtime plus a test consumer that writes a
row per event it runs with no key (tests/relay_worker.py), so work done twice would show."""
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from astrobookings.dev.stack import stop_process
from services.core.db import one_statement
from services.core.models.documents import EntryLog
from services.core.mongo import system_db
from services.kernel.outbox import nudge
from tests.faults import until
from tests.helpers import demo_login


@pytest.fixture
def effects():
    with one_statement() as conn:
        conn.execute(text("drop table if exists relay_effect"))
        conn.execute(text("""create table relay_effect (seq bigserial primary key, event_id bigint not null,
                             ticker_id int not null, n int not null, worker text not null)"""))
    yield
    with one_statement() as conn:
        conn.execute(text("drop table relay_effect"))


@contextmanager
def workers(count: int, work_ms: int = 0, ordered: bool = False):
    """`count` worker processes; yields [(process, identity)] once each runs."""
    env = {**os.environ, "RELAY_TEST_WORK_MS": str(work_ms), "RELAY_TEST_ORDERED": "1" if ordered else "0"}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.relay_worker"], env=env, stdout=subprocess.PIPE,
                              text=True, start_new_session=True) for _ in range(count)]
    try:
        started = []
        for proc in procs:
            line = proc.stdout.readline().split()
            assert line[:1] == ["ready"], f"a worker did not start: {line}"
            started.append((proc, line[1]))
        yield started
    finally:
        for proc in procs:
            stop_process(proc, timeout=15)


def tick(count: int, tickers: int = 10) -> list[int]:
    """`count` events, interleaved over `tickers` aggregates (n counts up within each); returns their ids."""
    with one_statement() as conn:
        ids = conn.execute(text("""
            insert into outbox_event (event_type, aggregate_type, aggregate_id, aggregate_version, payload,
                                      entry_point, created_at)
            select 'test.ticked', 'ticker', cast(g % :tickers as text), 1,
                   jsonb_build_object('ticker_id', g % :tickers, 'n', g), 'job', now()
            from generate_series(1, :count) g order by g returning id"""), {"count": count, "tickers": tickers}).scalars().all()
    nudge()
    return sorted(ids)


def undelivered(ids: list[int]) -> int:
    with one_statement() as conn:
        return conn.execute(text("""select count(*) from outbox_event e left join outbox_delivery d on d.event_id = e.id
                                    where e.id = any(:ids) and (e.dispatched_at is null or d.status is distinct from
                                    'delivered')"""), {"ids": ids}).scalar_one()


def effect_rows() -> list[tuple]:
    with one_statement() as conn:
        return conn.execute(text("select seq, event_id, ticker_id, n, worker from relay_effect order by seq")).all()


def logged(ids: list[int]) -> int:
    """Activity-log entries of these events in MongoDB (the production consumer of every event)."""
    entries = system_db()[EntryLog.collection].find({"action": "test.ticked"}, {"event_id": 1})
    found = [e["event_id"] for e in entries if e["event_id"] in set(ids)]
    assert len(found) == len(set(found))
    return len(found)


def queue_emails(count: int) -> list[str]:
    """`count` notifications, each to its own address, due now; returns the addresses."""
    from services.notify import store
    from services.notify.audience import Draft, Recipient

    run = uuid.uuid4().hex[:8]
    addresses = [f"share-{run}-{n}@workers.example" for n in range(count)]
    store.insert([store.build(Draft(Recipient(a, None), "refund_paid", {
        "booking_id": n, "amount": "$1.00", "launch": {"name": "Shared", "date": "today", "url": "http://x/launches/y"}}),
        900_000_000 + n, "test.shared", store.now()) for n, a in enumerate(addresses)])
    return addresses


def test_two_workers_share_a_backlog_and_do_each_delivery_once(effects, mailbox):
    from services.notify import store

    with workers(2, work_ms=2) as started:
        ids = tick(1000)
        addresses = queue_emails(300)
        until(lambda: undelivered(ids) == 0, "every delivery of the backlog", timeout=120)
        until(lambda: store.collection().count_documents({"to": {"$in": addresses}, "status": "sent"}) == 300,
              "every email", timeout=60)
    for address in addresses:  # each email arrived once, though both processes send
        assert len(mailbox.to(address)) == 1, address
    senders = {d["sent_by"] for d in store.collection().find({"to": {"$in": addresses}}, {"sent_by": 1})}
    assert senders <= {identity for _, identity in started}
    rows = effect_rows()
    assert len(rows) == 1000 and {r.event_id for r in rows} == set(ids)  # each once: none lost, none twice
    by_worker = {identity: sum(r.worker == identity for r in rows) for _, identity in started}
    assert all(n > 0 for n in by_worker.values()), f"one worker did it all: {by_worker}"
    assert logged(ids) == 1000  # the activity log's entries, once each
    with one_statement() as conn:
        held = conn.execute(text("select count(*) from outbox_delivery where event_id = any(:ids) and "
                                 "(claimed_by is not null or lease_until is not null)"), {"ids": ids}).scalar_one()
    assert held == 0  # settled deliveries are nobody's


def test_a_killed_worker_loses_its_lease_and_the_other_finishes_its_batch(effects, api):
    with workers(2, work_ms=20) as started:
        (victim, victim_id), (_, survivor_id) = started
        ids = tick(600)

        def holding() -> list[int]:
            with one_statement() as conn:
                return conn.execute(text("""select event_id from outbox_delivery where consumer = 'test-effects'
                                            and claimed_by = :me and status = 'pending'"""),
                                    {"me": victim_id}).scalars().all()
        until(lambda: holding(), "the victim to hold a batch")
        stop_process(victim, signal.SIGKILL, timeout=5)
        killed_at = time.monotonic()
        lost = holding()  # what it held when it died: nobody else may take it before its lease ends
        assert lost
        # IT sees the work in progress, and how many processes hold it (REST and /it/sync alike).
        outbox = api.get("/api/system/outbox", headers=demo_login(api, "it@example.com")).json()
        [effects_row] = [c for c in outbox["consumers"] if c["consumer"] == "test-effects"]
        assert effects_row["in_progress"] >= len(lost) and effects_row["processes"] >= 1

        def lost_done() -> bool:
            with one_statement() as conn:
                return conn.execute(text("""select count(*) from outbox_delivery where consumer = 'test-effects'
                                            and event_id = any(:ids) and status = 'delivered'"""),
                                    {"ids": lost}).scalar_one() == len(lost)
        until(lost_done, "the lost batch", timeout=10 - (time.monotonic() - killed_at))
        print(f"\nthe dead worker's batch of {len(lost)} was done {time.monotonic() - killed_at:.1f}s after the kill")
        until(lambda: undelivered(ids) == 0, "the rest of the backlog", timeout=60)
    rows = effect_rows()
    counts: dict[int, int] = {}
    for r in rows:
        counts[r.event_id] = counts.get(r.event_id, 0) + 1
    assert set(counts) == set(ids)  # nothing lost
    twice = {event_id for event_id, n in counts.items() if n > 1}
    assert twice <= set(lost), "only the dead worker's unsettled batch may run again"
    assert max(counts.values()) <= 2
    last_run = {r.event_id: r.worker for r in rows}  # rows are in seq order: the last run wins
    assert all(last_run[event_id] == survivor_id for event_id in lost)  # the survivor finished the batch
    assert logged(ids) == 600  # the idempotent consumers' side effects: once each


def test_one_aggregates_events_keep_their_order_under_two_workers(effects):
    # Few aggregates, so that every batch holds events of each: unordered, the two workers' batches
    # would interleave them (this test fails with ordered=False).
    with workers(2, work_ms=5, ordered=True):
        ids = tick(300, tickers=3)
        until(lambda: undelivered(ids) == 0, "every ordered delivery", timeout=120)
    rows = effect_rows()
    assert len(rows) == 300
    for ticker in range(3):
        ns = [r.n for r in rows if r.ticker_id == ticker]
        assert ns == sorted(ns), f"ticker {ticker}'s events ran out of order"


def test_a_launchs_card_never_goes_back_under_two_workers(effects):
    """Thirty bookings and a delay on one launch while two workers project its card: every card
    read on the way has a version at least the one before, and the last is PostgreSQL's."""
    from datetime import datetime, timedelta, timezone

    from services.agency import launches, rockets
    from services.agency import profile as agencies
    from services.booking import bookings
    from services.core.db import read_session
    from services.core.models.launch import Launch
    from services.kernel.actor import Actor
    from services.sync.read_model import _cards

    run = uuid.uuid4().hex[:8]
    agency = Actor(user_id=f"order-agency-{run}", email=f"ops-{run}@agency.example", role="agency", name="Order",
                   entry_point="api")
    agencies.update_profile(agency, {"name": f"Order {run}", "tax_id": "VAT-ORDER", "legal_address": "1 Order Road"})
    rocket = rockets.create_rocket(agency, {"name": f"Orderly {run}", "capacity": 40, "range": "interplanetary"})
    date = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=300)
    launch = launches.schedule_launch(agency, {"rocket_id": rocket.id, "spaceport": "kourou", "destination": "moon",
                                               "date": date, "price_cents": 100_000})
    seen: list[int] = []

    def look() -> None:
        card = _cards().find_one({"_id": str(launch.id)}, {"version": 1})
        if card is not None:
            seen.append(card["version"])

    with workers(2):
        for n in range(30):
            traveler = Actor(user_id=f"order-{run}-{n}", email=f"t{n}-{run}@order.example", role="traveler",
                             name="T", entry_point="api")
            bookings.create_booking(traveler, {"launch_id": launch.id, "payment": {"card_number": "4242424242424242"},
                                               "passengers": [{"name": "Pat Order", "email": traveler.email, "phone": "+1 555 0100",
                                                               "birth_date": "1985-05-17"}]})
            look()
        launches.change_status(agency, launch.id, {"status": "delayed", "date": date + timedelta(days=1),
                                                   "reason": "weather"})
        with read_session() as session:
            final = session.get(Launch, launch.id).version

        def caught_up() -> bool:
            look()
            return seen[-1:] == [final]
        until(caught_up, "the card to reach the launch's last version", timeout=30)
    assert seen == sorted(seen), f"the card went back: {seen}"
    assert _cards().find_one({"_id": str(launch.id)})["seats_free"] == 10
