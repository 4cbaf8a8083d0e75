"""Booking under contention: many buyers on ONE launch at a time, through the REST API, with the
sandbox payment gateway answering at once and taking 300 ms per charge, side by side in one run,
next to the same transactions in raw SQL on the same database.

Each round schedules a fresh 100-seat launch and fires 100 single-seat bookings plus 20% more
(the late ones must be told "sold out") from concurrent clients, each request a different
traveler. Server: the production backend, i.e. the Reflex app under granian workers as `reflex
run --env prod` serves it, with the scheduler and its outbox relay in the same processes
(--role all, the default) or left to a separate worker (--role web); --app api serves the REST
app alone (bench/backend.py). It is started once per gateway latency (PAYMENT_GATEWAY_LATENCY_MS).
Baseline: the booking's two transactions of services/booking/bookings.py in plain psycopg from as
many threads (hold: lock the launch row, position query, insert the held booking and passenger,
update the launch, append the outbox event, commit; then the gateway's latency outside any lock;
then confirm: update the booking, append the outbox event, commit).
Printed: bookings/s for each, how long buyers told "sold out" waited, and the overbooking count
(must be 0).

Before holds (the charge ran under the launch row lock), on this 2-core machine, same defaults:
REST 47 to 67 bookings/s with the gateway at 0 ms and 3.2 bookings/s at 300 ms (sold-out answers
after 8 to 12 s). With holds, runs beside the old code on the same (busy, shared) machine: 53 to
57 bookings/s at 0 ms, 40 to 51 at 300 ms (sold-out answers in about 0.2 s), 0 overbooked.

    .venv/bin/python -m bench.booking_contention [--rounds 8] [--clients 32] [--workers 3] [--role all|web]
"""
import argparse
import json
import queue
import statistics
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg

from bench.backend import agency, backend, server_cpu_seconds, store_cpu_seconds, stores, travelers
from bench.http_load import drive, json_job

SEATS = 100
LATENCIES_MS = (0, 300)
PASSENGER = {"name": "Bench Passenger", "email": "passenger@example.com", "phone": "+1 555 0100", "birth_date": "1985-05-17"}


def _schedule(actor, rocket_id: int, n: int) -> int:
    from services.agency import launches

    date = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=400 + n)
    return launches.schedule_launch(actor, {"rocket_id": rocket_id, "spaceport": "kourou", "destination": "moon",
                                            "date": date, "price_cents": 10_000_000}).id


def _event(conn: psycopg.Connection, event_type: str, booking_id: int, traveler: str, payload: dict) -> None:
    conn.execute("""insert into outbox_event (event_type, aggregate_type, aggregate_id, aggregate_version, payload,
                    actor_id, actor_email, actor_role, entry_point, created_at)
                    values (%s, 'booking', %s, 1, %s, %s, %s, 'traveler', 'api', now())""",
                 (event_type, str(booking_id), json.dumps(payload), traveler, f"{traveler}@example.com"))


def _raw_booking(conn: psycopg.Connection, launch_id: int, traveler: str, latency_s: float) -> bool:
    with conn.transaction():
        booking_id = conn.execute("select nextval(pg_get_serial_sequence('booking', 'id'))").fetchone()[0]
        _event(conn, "booking.held", booking_id, traveler, {"launch_id": launch_id, "booking_id": booking_id, "seats": 1})
        offered, sold, price = conn.execute(
            "select seats_offered, seats_sold, price_cents from launch where id = %s for update", (launch_id,)).fetchone()
        conn.execute("""select coalesce(sum(seats) filter (where launch_id = %s and status in ('confirmed', 'held')), 0),
                               count(distinct launch_id) filter (where launch_id <> %s and status = 'confirmed'),
                               max(id) filter (where idempotency_key = %s)
                        from booking where traveler_id = %s""", (launch_id, launch_id, None, traveler)).fetchone()
        if sold >= offered:
            raise _SoldOut()
        conn.execute(
            """insert into booking (id, launch_id, traveler_id, traveler_email, seats, amount_cents, refund_cents,
               refund_percent, status, idempotency_key, request_hash, hold_expires_at, created_at)
               values (%s, %s, %s, %s, 1, %s, 0, 0, 'held', %s, %s, now() + interval '5 minutes', now())""",
            (booking_id, launch_id, traveler, f"{traveler}@example.com", price, uuid.uuid4().hex, "0" * 64))
        conn.execute("insert into passenger (name, email, phone, birth_date, booking_id) values (%s, %s, %s, %s, %s)",
                     (PASSENGER["name"], PASSENGER["email"], PASSENGER["phone"], PASSENGER["birth_date"], booking_id))
        conn.execute("update launch set seats_sold = seats_sold + 1, version = version + 1, updated_at = now() where id = %s",
                     (launch_id,))
    if latency_s:
        time.sleep(latency_s)  # the card charge: outside any transaction
    with conn.transaction():
        conn.execute("update booking set status = 'confirmed', payment_ref = %s, hold_expires_at = null "
                     "where id = %s and status = 'held'", ("ch_raw_" + uuid.uuid4().hex[:16], booking_id))
        _event(conn, "booking.confirmed", booking_id, traveler, {"launch_id": launch_id, "booking_id": booking_id, "seats": 1})
    return True


class _SoldOut(Exception):
    pass


def raw_sql_round(dsn: str, launch_id: int, requests: int, clients: int, latency_s: float) -> tuple[int, int, float]:
    work: queue.Queue[str] = queue.Queue()
    for i in range(requests):
        work.put(f"raw-{uuid.uuid4().hex[:8]}-{i}")
    booked, refused, lock = [0], [0], threading.Lock()
    ready = threading.Barrier(clients + 1)

    def worker():
        with psycopg.connect(dsn) as conn:
            ready.wait()
            while True:
                try:
                    traveler = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    ok = _raw_booking(conn, launch_id, traveler, latency_s)
                except _SoldOut:
                    ok = False
                with lock:
                    (booked if ok else refused)[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return booked[0], refused[0], time.perf_counter() - started


def overbooked(dsn: str, launch_ids: list[int]) -> int:
    """Launches whose seats taken (held or paid) exceed the seats offered, or disagree with seats_sold."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("""select l.seats_offered, l.seats_sold,
                                      (select coalesce(sum(b.seats), 0) from booking b
                                       where b.launch_id = l.id and b.status in ('confirmed', 'held'))
                               from launch l where l.id = any(%s)""", (launch_ids,)).fetchall()
    return sum(1 for offered, sold, taken in rows if taken > offered or sold != taken)


class Figures:
    def __init__(self) -> None:
        self.booked = self.sold_out = self.other = 0
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.mongo_cpu_seconds = 0.0
        self.latencies: list[float] = []
        self.sold_out_ms: list[float] = []

    def rate(self) -> float:
        return self.booked / self.seconds if self.seconds else 0.0

    def pct(self, values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))] if ordered else 0.0


def rest_rounds(env, args, actor, rocket_id: int, latency_ms: int, first_n: int, launch_ids: list[int]) -> Figures:
    figures = Figures()
    requests = SEATS + SEATS // 5
    buyers = travelers(requests * args.rounds)
    extra = {"PROCESS_ROLE": args.role, "PAYMENT_GATEWAY_LATENCY_MS": str(latency_ms)}
    with backend(env, args.workers, extra, app=args.app) as (host, port):
        for n in range(args.rounds):
            launch_id = _schedule(actor, rocket_id, first_n + n)
            launch_ids.append(launch_id)
            order = {"launch_id": launch_id, "passengers": [PASSENGER], "payment": {"card_number": "4242424242424242"}}
            round_buyers = buyers[n * requests:(n + 1) * requests]
            jobs = [json_job("POST", "/api/bookings", order, {**round_buyers[i], "Idempotency-Key": uuid.uuid4().hex})
                    for i in range(requests)]
            cpu, mongo = server_cpu_seconds(port), store_cpu_seconds(env["MONGODB_URL"])
            run = drive(host, port, jobs, args.clients)
            figures.cpu_seconds += server_cpu_seconds(port) - cpu
            figures.mongo_cpu_seconds += store_cpu_seconds(env["MONGODB_URL"]) - mongo
            figures.seconds += run.elapsed
            for result in run.results:
                figures.latencies.append(result.seconds * 1000)
                if result.status == 201:
                    figures.booked += 1
                elif result.status == 409 and b'"sold_out"' in result.body:
                    figures.sold_out += 1
                    figures.sold_out_ms.append(result.seconds * 1000)
                else:
                    figures.other += 1
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3, help="granian workers of the backend")
    parser.add_argument("--role", choices=["all", "web"], default="all",
                        help="PROCESS_ROLE of the server: all runs the outbox relay in it, web leaves it to a worker")
    parser.add_argument("--app", choices=["reflex", "api"], default="reflex",
                        help="reflex: the whole app as production serves it; api: the REST app alone")
    args = parser.parse_args()
    requests = SEATS + SEATS // 5

    with stores() as env:
        from services.agency import rockets

        dsn = env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        actor = agency()
        rocket = rockets.create_rocket(actor, {"name": "Contention", "capacity": SEATS, "range": "interplanetary"})
        launch_ids: list[int] = []
        raw: dict[int, tuple[int, int, float]] = {}
        for latency in LATENCIES_MS:
            booked = refused = 0
            seconds = 0.0
            for _ in range(args.rounds):
                launch_ids.append(_schedule(actor, rocket.id, len(launch_ids)))
                b, r, s = raw_sql_round(dsn, launch_ids[-1], requests, args.clients, latency / 1000)
                booked, refused, seconds = booked + b, refused + r, seconds + s
            raw[latency] = (booked, refused, seconds)
        with psycopg.connect(dsn) as conn:
            # The raw rounds' events are not the server's work: mark them dispatched.
            conn.execute("update outbox_event set dispatched_at = now() where dispatched_at is null")

        rest = {latency: rest_rounds(env, args, actor, rocket.id, latency, len(launch_ids) + 100 * i, launch_ids)
                for i, latency in enumerate(LATENCIES_MS)}
        bad = overbooked(dsn, launch_ids)

    print(f"one launch at a time, {SEATS} seats, {requests} single-seat requests per round, {args.rounds} rounds per "
          f"gateway latency, {args.clients} concurrent clients; REST: {args.app} app, {args.workers} granian workers, "
          f"role {args.role}")
    head = "".join(f"{f'gateway {ms} ms':>24}" for ms in LATENCIES_MS)
    print(f"{'':44}{head}")
    print(f"{'raw SQL hold + confirm (bookings/s)':44}" + "".join(f"{raw[ms][0] / raw[ms][2]:>24.1f}" for ms in LATENCIES_MS))
    print(f"{'REST POST /api/bookings (bookings/s)':44}" + "".join(f"{rest[ms].rate():>24.1f}" for ms in LATENCIES_MS))
    print(f"{'REST booked / sold out / other':44}" + "".join(
        f"{f'{rest[ms].booked} / {rest[ms].sold_out} / {rest[ms].other}':>24}" for ms in LATENCIES_MS))
    print(f"{'REST latency p50 / p95 (ms)':44}" + "".join(
        f"{f'{statistics.median(rest[ms].latencies):.0f} / {rest[ms].pct(rest[ms].latencies, 0.95):.0f}':>24}"
        for ms in LATENCIES_MS))
    print(f"{'sold-out answer p50 / p95 (ms)':44}" + "".join(
        f"{f'{rest[ms].pct(rest[ms].sold_out_ms, 0.5):.0f} / {rest[ms].pct(rest[ms].sold_out_ms, 0.95):.0f}':>24}"
        for ms in LATENCIES_MS))
    print(f"{'server CPU per booking, relay included (ms)':44}" + "".join(
        f"{rest[ms].cpu_seconds * 1000 / max(rest[ms].booked, 1):>24.1f}" for ms in LATENCIES_MS))
    print(f"{'MongoDB-wire server CPU per booking (ms)':44}" + "".join(
        f"{rest[ms].mongo_cpu_seconds * 1000 / max(rest[ms].booked, 1):>24.1f}" for ms in LATENCIES_MS))
    print(f"{'ratio REST / raw SQL':44}" + "".join(f"{rest[ms].rate() / (raw[ms][0] / raw[ms][2]):>24.2f}"
                                                   for ms in LATENCIES_MS))
    print(f"overbooked launches: {bad} of {len(launch_ids)}")


if __name__ == "__main__":
    main()
