"""Reconciliation at volume: 10,000 launches and 1,000,000 bookings in PostgreSQL with their read
model in MongoDB; a known set of launch cards and traveler bookings deleted, corrupted or orphaned;
then a reconciliation job run to the end (chunk by chunk, as the scheduler runs it) and timed
beside a bare full scan of the same tables and collections in the same run (the floor any
comparison of both sides pays). It checks that exactly the broken documents were repaired.

    .venv/bin/python -m bench.reconcile [--launches 10000] [--bookings 1000000] [--chunk 500]
"""
import argparse
import time

from sqlalchemy import text

from bench.backend import stores
from bench.finance_reports import SEED

BROKEN = {"cards_deleted": 50, "cards_corrupted": 50, "cards_orphaned": 20,
          "bookings_deleted": 100, "bookings_corrupted": 100, "bookings_orphaned": 20}


def _seed_sql(launches: int, bookings: int) -> None:
    from services.core.db import unit_of_work

    statements = [s for s in SEED.split(";")
                  if s.strip() and not s.strip().startswith(("insert into invoice", "insert into payment"))]
    with unit_of_work() as session:
        for statement in statements:
            session.execute(text(statement), {"agencies": 200, "launches": launches, "bookings": bookings})


def _seed_read_model(chunk: int = 5000) -> None:
    """The read model as the consumers would have left it, written in bulk (the bench's setup)."""
    from services.sync.reconcile import PROJECTIONS
    from services.sync import read_model, traveler_bookings

    for projection, collection in zip(PROJECTIONS, (read_model._cards(), traveler_bookings.collection())):
        after = 0
        while True:
            rows = projection.read_rows(after, chunk)
            if not rows:
                break
            collection.insert_many([model.to_mongo() for _, model in rows], ordered=False)
            after = rows[-1][0]


def _break_things() -> dict[str, set[str]]:
    from services.sync import read_model, traveler_bookings

    cards, bookings = read_model._cards(), traveler_bookings.collection()
    card_ids = [d["_id"] for d in cards.find({}, projection=["_id"]).sort("launch_id", 1).limit(1000)][::5]
    booking_ids = [d["_id"] for d in bookings.find({}, projection=["_id"]).sort("booking_id", 1).limit(5000)][::10]
    deleted_c, corrupted_c = card_ids[:BROKEN["cards_deleted"]], card_ids[BROKEN["cards_deleted"]:100]
    deleted_b, corrupted_b = booking_ids[:BROKEN["bookings_deleted"]], booking_ids[BROKEN["bookings_deleted"]:200]
    cards.delete_many({"_id": {"$in": deleted_c}})
    cards.update_many({"_id": {"$in": corrupted_c}}, {"$set": {"seats_free": 12345, "status": "delayed"}})
    template = cards.find_one({})
    orphan_c = [str(10**8 + n) for n in range(BROKEN["cards_orphaned"])]
    cards.insert_many([dict(template, _id=i, launch_id=int(i), slug=f"orphan-{i}") for i in orphan_c])
    bookings.delete_many({"_id": {"$in": deleted_b}})
    bookings.update_many({"_id": {"$in": corrupted_b}}, {"$set": {"status": "cancelled", "seats": 9}})
    b_template = bookings.find_one({})
    orphan_b = [str(10**9 + n) for n in range(BROKEN["bookings_orphaned"])]
    bookings.insert_many([dict(b_template, _id=i, booking_id=int(i)) for i in orphan_b])
    return {"launch_cards": set(deleted_c) | set(corrupted_c) | set(orphan_c),
            "traveler_bookings": set(deleted_b) | set(corrupted_b) | set(orphan_b)}


def _bare_scan() -> float:
    """Read every row and document of both sides once, comparing nothing: the floor."""
    from services.core.db import get_engine
    from services.sync import read_model, traveler_bookings

    started = time.perf_counter()
    with get_engine().connect() as conn:
        for table in ("launch", "booking"):
            result = conn.execution_options(stream_results=True, yield_per=5000).execute(text(f"select * from {table}"))
            for _ in result:
                pass
    for collection in (read_model._cards(), traveler_bookings.collection()):
        for _ in collection.find({}, batch_size=5000):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=10_000)
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=2000)
    args = parser.parse_args()
    with stores():
        from services.core.mongo import system_db
        from services import sync
        from services.kernel.actor import Actor

        started = time.perf_counter()
        _seed_sql(args.launches, args.bookings)
        _seed_read_model()
        print(f"seeded {args.launches:,} launches and {args.bookings:,} bookings with their read model "
              f"in {time.perf_counter() - started:.1f} s")
        broken = _break_things()
        print("broken: " + ", ".join(f"{k} {v}" for k, v in BROKEN.items()))

        baseline = _bare_scan()
        it = Actor(user_id="bench-it", email="it@bench", role="it")
        job = sync.start_job(it, "reconcile")
        started = time.perf_counter()
        while sync.run_pending(chunk=args.chunk, time_budget=60) is not None:
            pass
        elapsed = time.perf_counter() - started
        done = system_db().sync_jobs.find_one({"_id": job.id})
        exact = all(set(done["repaired_ids"].get(k, [])) == v for k, v in broken.items())
        print(f"baseline: bare full scan of launch, booking and both collections  {baseline:8.1f} s")
        print(f"reconcile: find and repair (chunk {args.chunk})                     {elapsed:8.1f} s  "
              f"({elapsed / baseline:.1f}x the scan)")
        print(f"  processed {done['processed']:,} of {done['total']:,}, repaired {done['repaired']}, "
              f"errors {done['errors']}, found {done['found']}")
        print(f"  repaired exactly the broken documents: {exact}")
        if not exact or done["status"] != "done":
            raise SystemExit(1)


if __name__ == "__main__":
    main()
