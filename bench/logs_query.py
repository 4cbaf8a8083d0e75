"""The activity log at volume: 1,000,000 EntryLog documents (10,000 actors, every role, action and
entry point, the year up to now), then each filtered first page IT asks for (newest first, 50 entries,
with its capped total) timed, median of 5, beside a bare scan of the whole collection in the same
run (what a filter without its index would read, and what free text alone read before it was given
its window: the last 24 hours, or a range of at most 7 days).

    .venv/bin/python -m bench.logs_query [--entries 1000000]
"""
import argparse
import time
from datetime import datetime, timedelta, timezone

from bench.backend import median_ms, stores

ACTIONS = ["auth.signed_in", "auth.registered", "booking.held", "booking.confirmed", "booking.cancelled",
           "launch.scheduled", "launch.delayed", "invoice.issued", "payment.recorded", "sync.job_requested"]
ROLES = ["traveler", "agency", "finance", "it", "admin"]
ENTRY_POINTS = ["web", "api", "job"]
START = datetime.now(timezone.utc) - timedelta(days=365)


def _seed(entries: int, batch: int = 10_000) -> None:
    from services.core.models.documents import EntryLog
    from services.core.mongo import system_db

    logs = system_db().entry_logs
    step = timedelta(days=365) / entries
    for first in range(0, entries, batch):
        logs.insert_many([EntryLog(
            _id=f"event-{n}", event_id=n, at=START + step * n, action=ACTIONS[n % len(ACTIONS)],
            actor_id=f"u-{n % 10_000}", actor_email=f"user{n % 10_000}@example.com",
            actor_role=ROLES[n % len(ROLES)], entry_point=ENTRY_POINTS[n % len(ENTRY_POINTS)],
            client_address=f"10.0.{n % 256}.{n % 200}", subject=f"launch:{n % 10_000}",
            details={"seats": n % 6}).to_mongo() for n in range(first, min(first + batch, entries))], ordered=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    with stores():
        from services.core.mongo import system_db
        from services.kernel.actor import Actor
        from services.monitor import logs

        started = time.perf_counter()
        _seed(args.entries)
        print(f"seeded {args.entries:,} activity log entries in {time.perf_counter() - started:.1f} s")
        it = Actor(user_id="bench-it", email="it@bench", role="it")
        late = START + timedelta(days=300)
        cases = [
            ("actor email", {"actor_email": "user4242@example.com"}),
            ("action", {"action": "booking.cancelled"}),
            ("role + time range", {"role": "finance", "since": late, "until": late + timedelta(days=7)}),
            ("entry point", {"entry_point": "job"}),
            ("subject", {"subject": "launch:777"}),
            ("actor + free text", {"actor_email": "user17@example.com", "text": "booking"}),
            ("free text alone (24 h)", {"text": "launch:9999"}),
            ("free text, 7-day range", {"text": "launch:9999", "since": datetime.now(timezone.utc) - timedelta(days=7)}),
            ("free text, common word", {"text": "booking"}),
            ("no filter (newest)", {}),
        ]
        collection = system_db().entry_logs
        baseline = median_ms(lambda: sum(1 for _ in collection.find({}, batch_size=10_000)), repeat=1)
        print(f"baseline: bare scan of {args.entries:,} entries            {baseline:9.1f} ms")
        for label, filters in cases:
            found = {}

            def page():
                found["items"], found["total"] = logs.search_entries(it, page=1, per_page=50, **filters)
            ms = median_ms(page)
            print(f"filtered first page: {label:<22} {ms:9.1f} ms  ({len(found['items'])} shown of "
                  f"{found['total']:,}{'+' if found['total'] >= logs.COUNT_LIMIT else ''})")


if __name__ == "__main__":
    main()
