"""Read-model lag: how long after an agency's change the public launch list shows it.

Runs on its own stores (a fresh PostgreSQL database on TEST_POSTGRES_ADMIN_URL or an embedded
server, TEST_REDIS_URL or embedded Redis, embedded SecantusDB) with the in-process scheduler
running, as in production: the commit nudges the relay, which projects the launch card into
MongoDB and invalidates the catalog cache. 100 changes (new launches and delays), each polled on
GET /api/launches until it shows. Baseline, same run: projecting one launch directly (no relay).

    .venv/bin/python -m bench.read_model_lag [changes]
"""
import sys
import time
from datetime import datetime, time as clock, timedelta, timezone

from bench.backend import figures, stores, wait_until

DEADLINE_S = 10.0


def main(changes: int = 100) -> int:
    with stores():
        return _run(changes)


def _run(changes: int) -> int:
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api
    from astrobookings.jobs import runtime
    from services.agency import profile as agencies
    from services.agency import launches
    from services.sync import read_model
    from services.agency import rockets
    from services.kernel.actor import Actor

    scheduler = runtime.start()
    try:
        api = TestClient(create_api())
        actor = Actor(user_id="bench-agency", email="bench@agency.example", role="agency", name="Bench Agency", entry_point="job")
        agencies.update_profile(actor, {"name": "Bench Agency", "tax_id": "VAT-BENCH", "legal_address": "1 Bench Road, Nowhere"})
        rocket = rockets.create_rocket(actor, {"name": "Benchmark", "capacity": 10, "range": "interplanetary"})
        wait_until(lambda: scheduler.is_leader, "scheduler leadership")
        first_day = datetime.now(timezone.utc).date() + timedelta(days=30)

        lags, scheduled = [], []
        for n in range(changes):
            if n % 2 == 0 or not scheduled:
                date = datetime.combine(first_day + timedelta(days=n), clock(12), timezone.utc)
                launch = launches.schedule_launch(actor, {"rocket_id": rocket.id, "spaceport": "kourou", "destination": "moon",
                                                          "date": date, "price_cents": 1_000_000})
                scheduled.append(launch)
            else:
                previous = scheduled.pop(0)
                date = previous.date + timedelta(days=changes + 1)
                launch = launches.change_status(actor, previous.id, {"status": "delayed", "date": date, "reason": "bench"})
            committed = time.perf_counter()
            _poll_list(api, launch.slug, date)
            lags.append((time.perf_counter() - committed) * 1000)

        baseline = []
        for launch_id in range(1, min(changes, 50) + 1):
            with_bump = _bump_version(launch_id)
            if with_bump:
                t0 = time.perf_counter()
                read_model.project_launch(launch_id)
                baseline.append((time.perf_counter() - t0) * 1000)

        print(f"read-model lag over {changes} changes (new launches and delays), commit -> visible on GET /api/launches")
        print(figures("lag: commit -> public list", lags, 34))
        print(figures("baseline: direct project_launch", baseline, 34))
        print(f"changes visible within 2 s: {sum(l <= 2000 for l in lags)}/{len(lags)}")
    finally:
        scheduler.stop()
    return 0


def _poll_list(api, slug: str, date: datetime) -> None:
    day = date.date().isoformat()
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        items = api.get("/api/launches", params={"from": day, "to": day, "destination": "moon"}).json()["items"]
        if any(c["slug"] == slug and c["date"].startswith(date.isoformat()[:16]) for c in items):
            return
        time.sleep(0.002)
    raise RuntimeError(f"{slug} did not show on GET /api/launches within {DEADLINE_S}s")


def _bump_version(launch_id: int) -> bool:
    """Make the next direct projection a real write, so the baseline measures the same work."""
    from services.core.db import unit_of_work
    from services.core.models.launch import Launch

    with unit_of_work() as session:
        launch = session.get(Launch, launch_id)
        if launch is None:
            return False
        launch.version += 1
        session.add(launch)
    return True


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
