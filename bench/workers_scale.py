"""Background work across worker processes: the same kind of backlog drained by 1, 2 and 4
`python -m astrobookings.worker` processes, side by side in one run, on real stores and a real
SMTP server on loopback (aiosmtpd, in this process).

Each round makes a fresh backlog through the services while no worker runs: bookings (held and
confirmed: the read model, the traveler's bookings, the activity log, the notify consumer with the
receipt PDF, the agency's email) and launch delays (every traveler of the launch is emailed), about
EVENTS events in all. Then N workers start and share it. Measured in the stores, so worker start-up
is not counted: events/s from the first delivery settled to the last (every consumer of every
event done), emails/s from the first email sent to the last, and the ratio to one worker.

Baseline in the same run and on the same PostgreSQL: the bare claim rate of `FOR UPDATE SKIP
LOCKED` (claim 100 rows, mark them done) from 1, 2 and 4 threads, with no work in between.
Then the sender alone: 3,000 queued emails sent by 1, 2 and 4 workers, emails/s at the SMTP
server, beside a bare smtplib loop sending the same stored bytes over one connection.
Where the time goes: CPU seconds of the workers, of MongoDB (the embedded server), of PostgreSQL
and of this process (the SMTP server) over each round's wall time: on 2 cores the ratio flattens
once the machine is busy, whatever the design.

    .venv/bin/python -m bench.workers_scale [events] [workers ...]     (defaults: 10000 1 2 4)
"""
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import psutil

from bench.backend import agency, store_cpu_seconds, stores, wait_until

BOOKINGS_PER_LAUNCH = 20
PASSENGER = {"name": "Bench Passenger", "phone": "+1 555 0100", "birth_date": "1985-05-17"}


class Mailbox:
    """The SMTP server's handler: counts what arrives, and when."""
    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        with self.lock:
            self.count += len(envelope.rcpt_tos)
            self.first = self.first or now
            self.last = now
        return "250 OK"

    def start_counting(self) -> None:
        with self.lock:
            self.count, self.first, self.last = 0, 0.0, 0.0


def main(events: int = 10_000, counts: tuple[int, ...] = (1, 2, 4), emails: int = 3000) -> int:
    mailbox = Mailbox()
    with stores(mailbox=mailbox) as env:
        claim_rates = {n: _bare_claim_rate(n) for n in counts}
        rows = []
        for n in counts:
            rows.append(_round(env, n, events))
            r = rows[-1]
            print(f"{n} worker(s): {r['events']} events in {r['event_s']:.1f} s -> {r['events_per_s']:7.1f} events/s, "
                  f"{r['emails']} emails in {r['mail_s']:.1f} s -> {r['emails_per_s']:6.1f} emails/s "
                  f"(made in {r['made_s']:.0f} s)", flush=True)
        mail = {n: _sender_round(env, mailbox, n, emails) for n in counts}
        bare = _bare_send_rate(mailbox)
    one = rows[0]["events_per_s"]
    print()
    print(f"the sender alone, {emails} queued emails: " + ", ".join(
        f"{n} worker(s) {rate:6.1f} emails/s ({rate / bare:.0%})" for n, rate in mail.items())
        + f"; bare smtplib loop over the same stored bytes, one connection: {bare:6.1f} emails/s")
    print(f"{'workers':>7} {'events/s':>9} {'ratio':>6} {'emails/s':>9} {'bare claims/s':>14}   where the CPU went "
          "(seconds of CPU per second of wall time: workers, MongoDB, PostgreSQL, SMTP server)")
    for r in rows:
        cpu = r["cpu"]
        print(f"{r['workers']:>7} {r['events_per_s']:>9.1f} {r['events_per_s'] / one:>6.2f} {r['emails_per_s']:>9.1f} "
              f"{claim_rates[r['workers']]:>14.0f}   workers {cpu['workers']:.2f}, MongoDB {cpu['mongo']:.2f}, "
              f"PostgreSQL {cpu['postgres']:.2f}, SMTP {cpu['smtp']:.2f} (machine: {psutil.cpu_count()} cores)")
    by = {r["workers"]: r["events_per_s"] for r in rows}
    last = max(by)
    print("workers_scale: " + " ".join(f"{n}w={by[n]:.1f}/s" for n in counts) + f" ratio{last}={by[last] / by[counts[0]]:.2f}")
    return 0


# --- the backlog --------------------------------------------------------------------------

def _make_backlog(events: int, round_no: int) -> tuple[int, int]:
    """Bookings and delays through the services until about `events` events are waiting; returns
    the id range of the events made (first, last)."""
    from services.agency import launches, rockets
    from services.booking import bookings
    from services.kernel.actor import Actor

    actor = agency(f"Bench Workers {round_no}")
    rocket = rockets.create_rocket(actor, {"name": f"Scaler {round_no}-{time.time_ns()}", "capacity": 100,
                                           "range": "interplanetary"})
    first = _last_event_id() + 1
    date = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=500)
    n = 0
    while _last_event_id() - first + 1 < events:
        launch = launches.schedule_launch(actor, {"rocket_id": rocket.id, "spaceport": "kourou", "destination": "moon",
                                                  "date": date + timedelta(days=n), "price_cents": 1_000_000})
        for b in range(BOOKINGS_PER_LAUNCH):
            email = f"w{round_no}-{n}-{b}@bench.example"
            traveler = Actor(user_id=f"bench-w{round_no}-{n}-{b}", email=email, role="traveler", name="T", entry_point="api")
            bookings.create_booking(traveler, {"launch_id": launch.id, "payment": {"card_number": "4242424242424242"},
                                               "passengers": [{**PASSENGER, "email": email}]})
        launches.change_status(actor, launch.id, {"status": "delayed", "date": date + timedelta(days=n, hours=6),
                                                  "reason": "weather"})
        n += 1
    return first, _last_event_id()


def _last_event_id() -> int:
    from sqlalchemy import text

    from services.core.db import one_statement

    with one_statement() as conn:
        return conn.execute(text("select coalesce(max(id), 0) from outbox_event")).scalar_one()


# --- one round ----------------------------------------------------------------------------

def _round(env: dict, workers: int, events: int) -> dict:
    from services.notify import store

    started = time.perf_counter()
    first, last = _make_backlog(events, workers)
    made_s = time.perf_counter() - started
    mail_before = store.collection().count_documents({"status": "sent"})
    cpu_before = _cpu(env, [])
    procs = [subprocess.Popen([sys.executable, "-m", "astrobookings.worker"], env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
             for _ in range(workers)]
    wall0 = time.perf_counter()
    try:
        wait_until(lambda: _undone(first, last) == 0, "every delivery", timeout=1800, step=0.5)
        wait_until(lambda: store.collection().count_documents({"status": {"$in": ["pending", "sending"]}}) == 0,
                   "every email", timeout=1800, step=0.5)
        wall = time.perf_counter() - wall0
        cpu = _cpu(env, procs)
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            p.wait(timeout=30)
    settled_s, count = _settled_span(first, last)
    for consumer, n, t0, t1 in _consumer_spans(first, last):
        print(f"   {consumer:<18} {n:>6} deliveries, done {t0:6.1f} s to {t1:6.1f} s after the first")
    sent, mail_s = _mail_span(mail_before)
    return {"workers": workers, "events": count, "event_s": settled_s, "events_per_s": count / settled_s,
            "emails": sent, "mail_s": mail_s, "emails_per_s": sent / mail_s if mail_s else 0.0, "made_s": made_s,
            "cpu": {k: (cpu[k] - cpu_before.get(k, 0.0)) / wall for k in cpu}}


def _undone(first: int, last: int) -> int:
    from sqlalchemy import text

    from services.core.db import one_statement

    with one_statement() as conn:
        return conn.execute(text("""
            select (select count(*) from outbox_event where id between :a and :b and dispatched_at is null)
                 + (select count(*) from outbox_delivery where event_id between :a and :b and status <> 'delivered')"""),
                            {"a": first, "b": last}).scalar_one()


def _settled_span(first: int, last: int) -> tuple[float, int]:
    from sqlalchemy import text

    from services.core.db import one_statement

    with one_statement() as conn:
        t0, t1 = conn.execute(text("select min(delivered_at), max(delivered_at) from outbox_delivery "
                                   "where event_id between :a and :b"), {"a": first, "b": last}).one()
    return (t1 - t0).total_seconds(), last - first + 1


def _consumer_spans(first: int, last: int) -> list[tuple]:
    """Per consumer: deliveries, and when its first and last were settled (seconds after the round's first)."""
    from sqlalchemy import text

    from services.core.db import one_statement

    with one_statement() as conn:
        return conn.execute(text("""
            with d as (select consumer, delivered_at from outbox_delivery where event_id between :a and :b),
                 z as (select min(delivered_at) t from d)
            select consumer, count(*), extract(epoch from min(delivered_at) - z.t), extract(epoch from max(delivered_at) - z.t)
            from d, z group by consumer, z.t order by 4"""), {"a": first, "b": last}).all()


def _mail_span(sent_before: int) -> tuple[int, float]:
    from services.notify import store

    coll = store.collection()
    sent = coll.count_documents({"status": "sent"}) - sent_before
    times = sorted(d["sent_at"] for d in coll.find({"status": "sent"}, {"sent_at": 1}))[-sent:] if sent else []
    return sent, (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0


def _cpu(env: dict, procs: list[subprocess.Popen]) -> dict[str, float]:
    """CPU seconds so far: the worker processes, the embedded MongoDB, PostgreSQL's processes, this one."""
    def seconds(p: psutil.Process) -> float:
        t = p.cpu_times()
        return t.user + t.system

    workers = 0.0
    for proc in procs:
        try:
            workers += seconds(psutil.Process(proc.pid))
        except psutil.Error:
            pass
    postgres = 0.0
    for p in psutil.process_iter(["name"]):
        try:
            if (p.info["name"] or "").startswith("postgres"):
                postgres += seconds(p)
        except psutil.Error:
            pass
    return {"workers": workers, "mongo": store_cpu_seconds(env["MONGODB_URL"]), "postgres": postgres,
            "smtp": seconds(psutil.Process())}


# --- the sender alone -----------------------------------------------------------------------

def _queue_emails(count: int, tag: str) -> None:
    from services.notify import store
    from services.notify.audience import Draft, Recipient

    notes = [store.build(Draft(Recipient(f"{tag}-{n}@bench.example", None), "refund_paid", {
        "booking_id": n, "amount": "$1.00", "launch": {"name": "Load", "date": "today", "url": "http://x/launches/y"}}),
        700_000_000 + n, f"bench.{tag}", store.now()) for n in range(count)]
    for first in range(0, count, 1000):
        store.insert(notes[first:first + 1000])


def _sender_round(env: dict, mailbox: Mailbox, workers: int, count: int) -> float:
    """Emails/s at the SMTP server (first arrival to last) while `workers` processes send a queue."""
    _queue_emails(count, f"mail{workers}")
    mailbox.start_counting()
    procs = [subprocess.Popen([sys.executable, "-m", "astrobookings.worker"], env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
             for _ in range(workers)]
    try:
        wait_until(lambda: mailbox.count >= count, "the queued emails", timeout=600, step=0.2)
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
    return (count - 1) / (mailbox.last - mailbox.first)


def _bare_send_rate(mailbox: Mailbox) -> float:
    """The server's own rate: the last round's stored bytes, sent again by a bare smtplib loop."""
    from email.utils import parseaddr

    from services.core.settings import get_settings
    from services.notify import sender, store

    docs = list(store.collection().find({"status": "sent", "source_event_type": {"$regex": "^bench.mail"}},
                                        {"raw": 1, "to": 1}).limit(2000))
    mail_from = parseaddr(get_settings().mail_from)[1]
    mailbox.start_counting()
    smtp = sender.connect()
    for d in docs:
        smtp.sendmail(mail_from, [d["to"]], bytes(d["raw"]))
    smtp.quit()
    wait_until(lambda: mailbox.count >= len(docs), "the bare loop's emails")
    return (len(docs) - 1) / (mailbox.last - mailbox.first)


# --- baseline: the bare claim ---------------------------------------------------------------

def _bare_claim_rate(threads: int, rows: int = 20_000, batch: int = 100) -> float:
    """Rows per second claimed and marked done with SKIP LOCKED by `threads` connections at once."""
    import psycopg

    from services.core.db import conninfo

    with psycopg.connect(conninfo(), autocommit=True) as conn:
        conn.execute("drop table if exists bench_claim")
        conn.execute("create table bench_claim (id bigserial primary key, status text not null default 'pending', "
                     "claimed_by text, lease_until timestamptz)")
        conn.execute("insert into bench_claim (status) select 'pending' from generate_series(1, %s)", (rows,))
        conn.execute("create index on bench_claim (id) where status = 'pending'")

    def claimer(me: str) -> None:
        with psycopg.connect(conninfo(), autocommit=True) as conn:
            while True:
                ids = [r[0] for r in conn.execute("""
                    with due as (select id from bench_claim where status = 'pending' and lease_until is null
                                 order by id limit %s for update skip locked)
                    update bench_claim c set claimed_by = %s, lease_until = now() + interval '5 seconds'
                    from due where c.id = due.id returning c.id""", (batch, me)).fetchall()]
                if not ids:
                    return
                conn.execute("update bench_claim set status = 'done', claimed_by = null, lease_until = null "
                             "where id = any(%s)", (ids,))

    pool = [threading.Thread(target=claimer, args=(f"t{i}",)) for i in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    rate = rows / (time.perf_counter() - t0)
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        conn.execute("drop table bench_claim")
    return rate


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    sys.exit(main(*(args[:1] or [10_000]), counts=tuple(args[1:]) or (1, 2, 4)))
