"""Booking under contention: many buyers on ONE launch at a time, through the REST API, next to
the same booking transaction in raw SQL on the same database in the same run.

Each round schedules a fresh 100-seat launch and fires 100 single-seat bookings plus 20% more
(the late ones must be told "sold out") from concurrent clients, each request a different
traveler. Server: the production backend, i.e. the Reflex app under granian workers as `reflex
run --env prod` serves it, with the scheduler and its outbox relay in the same processes
(--role all, the default) or left to a separate worker (--role web); --app api serves the REST
app alone for comparison (bench/backend.py). Baseline: the booking transaction of
services/bookings.py in plain psycopg from as many threads (lock the launch row, position query,
insert booking and passenger, update the launch, append the outbox event, commit).
Printed: bookings/s for both, their ratio, refusals, and the overbooking count (must be 0).

    .venv/bin/python -m bench.booking_contention [--rounds 8] [--clients 32] [--workers 3] [--role all|web]
"""
import argparse
import json
import queue
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg

from bench.backend import agency, backend, stores, travelers
from bench.http_load import drive, json_job

SEATS = 100
PASSENGER = {"name": "Bench Passenger", "email": "passenger@example.com", "phone": "+1 555 0100", "birth_date": "1985-05-17"}


def _schedule(actor, rocket_id: int, n: int) -> int:
    from services import launches

    date = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=400 + n)
    return launches.schedule_launch(actor, {"rocket_id": rocket_id, "spaceport": "kourou", "destination": "moon",
                                            "date": date, "price_cents": 10_000_000}).id


def _raw_booking(conn: psycopg.Connection, launch_id: int, traveler: str) -> bool:
    with conn.transaction():
        offered, sold, price, version = conn.execute(
            "select seats_offered, seats_sold, price_cents, version from launch where id = %s for update",
            (launch_id,)).fetchone()
        conn.execute("""select coalesce(sum(seats) filter (where launch_id = %s and status = 'confirmed'), 0),
                               count(distinct launch_id) filter (where launch_id <> %s and status = 'confirmed'),
                               max(id) filter (where idempotency_key = %s)
                        from booking where traveler_id = %s""", (launch_id, launch_id, None, traveler)).fetchone()
        if sold >= offered:
            return False
        booking_id = conn.execute(
            """insert into booking (launch_id, traveler_id, traveler_email, seats, amount_cents, refund_cents,
               refund_percent, status, payment_ref, idempotency_key, created_at)
               values (%s, %s, %s, 1, %s, 0, 0, 'confirmed', %s, %s, now()) returning id""",
            (launch_id, traveler, f"{traveler}@example.com", price, "ch_raw_" + uuid.uuid4().hex[:16],
             uuid.uuid4().hex)).fetchone()[0]
        conn.execute("insert into passenger (name, email, phone, birth_date, booking_id) values (%s, %s, %s, %s, %s)",
                     (PASSENGER["name"], PASSENGER["email"], PASSENGER["phone"], PASSENGER["birth_date"], booking_id))
        conn.execute("update launch set seats_sold = seats_sold + 1, version = version + 1, updated_at = now() where id = %s",
                     (launch_id,))
        conn.execute("""insert into outbox_event (event_type, aggregate_type, aggregate_id, aggregate_version, payload,
                        actor_id, actor_email, actor_role, entry_point, created_at, attempts)
                        values ('booking.created', 'booking', %s, %s, %s, %s, %s, 'traveler', 'api', now(), 0)""",
                     (booking_id, version + 1, json.dumps({"launch_id": launch_id, "booking_id": booking_id}),
                      traveler, f"{traveler}@example.com"))
    return True


def raw_sql_round(dsn: str, launch_id: int, requests: int, clients: int) -> tuple[int, int, float]:
    work: queue.Queue[str] = queue.Queue()
    for i in range(requests):
        work.put(f"raw-{i}")
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
                ok = _raw_booking(conn, launch_id, traveler)
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
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("""select l.seats_offered, l.seats_sold,
                                      (select coalesce(sum(b.seats), 0) from booking b
                                       where b.launch_id = l.id and b.status = 'confirmed')
                               from launch l where l.id = any(%s)""", (launch_ids,)).fetchall()
    return sum(1 for offered, sold, booked in rows if booked > offered or sold != booked)


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
        from services import rockets

        dsn = env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        actor = agency()
        rocket = rockets.create_rocket(actor, {"name": "Contention", "capacity": SEATS, "range": "interplanetary"})
        launch_ids: list[int] = []

        raw_booked = raw_refused = 0
        raw_seconds = 0.0
        for n in range(args.rounds):
            launch_ids.append(_schedule(actor, rocket.id, n))
            b, r, s = raw_sql_round(dsn, launch_ids[-1], requests, args.clients)
            raw_booked, raw_refused, raw_seconds = raw_booked + b, raw_refused + r, raw_seconds + s
        with psycopg.connect(dsn) as conn:
            # The raw rounds' events are not the server's work: mark them delivered.
            conn.execute("update outbox_event set processed_at = now() where processed_at is null")

        buyers = travelers(requests)
        rest_booked = rest_sold_out = rest_other = 0
        rest_seconds = 0.0
        latencies: list[float] = []
        with backend(env, args.workers, {"PROCESS_ROLE": args.role}, app=args.app) as (host, port):
            for n in range(args.rounds):
                launch_id = _schedule(actor, rocket.id, args.rounds + n)
                launch_ids.append(launch_id)
                order = {"launch_id": launch_id, "passengers": [PASSENGER], "payment": {"card_number": "4242424242424242"}}
                jobs = [json_job("POST", "/api/bookings", order, {**buyers[i], "Idempotency-Key": uuid.uuid4().hex})
                        for i in range(requests)]
                run = drive(host, port, jobs, args.clients)
                rest_seconds += run.elapsed
                latencies += run.latencies_ms()
                for result in run.results:
                    if result.status == 201:
                        rest_booked += 1
                    elif result.status == 409 and b'"sold_out"' in result.body:
                        rest_sold_out += 1
                    else:
                        rest_other += 1
        bad = overbooked(dsn, launch_ids)

    raw_rate, rest_rate = raw_booked / raw_seconds, rest_booked / rest_seconds
    latencies.sort()
    p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95) - 1]
    print(f"one launch at a time, {SEATS} seats, {requests} single-seat requests per round, {args.rounds} rounds, "
          f"{args.clients} concurrent clients")
    print(f"raw SQL transaction (psycopg, {args.clients} threads): {raw_booked} booked, {raw_refused} sold out, "
          f"{raw_rate:8.1f} bookings/s")
    print(f"REST POST /api/bookings ({args.app} app, {args.workers} granian workers, role {args.role}): {rest_booked} booked, {rest_sold_out} sold out, "
          f"{rest_other} other, {rest_rate:8.1f} bookings/s, latency p50 {p50:.1f} ms p95 {p95:.1f} ms")
    print(f"ratio REST / raw SQL: {rest_rate / raw_rate:.2f}")
    print(f"overbooked launches: {bad} of {len(launch_ids)}")


if __name__ == "__main__":
    main()
