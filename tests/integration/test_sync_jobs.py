"""Sync jobs on the real stores: reconciliation finds and repairs exactly the cards and traveler
bookings broken behind its back, a resync interrupted mid-way resumes where it stopped, two full
resyncs cannot run at once, and every route answers only IT and admin."""
import pytest

from services.core.mongo import customer_db
from tests.agency_helpers import agency_with_launch, book
from tests.helpers import demo_login, drain_outbox, new_account, new_traveler

COMPARED = ("slug", "seats_free", "status", "version", "price_cents", "date", "bookable")


def _run_to_end(job_id: str, **options) -> dict:
    """Run the scheduler's sync step until this job ends (as the leader would, second after second)."""
    from services.core.mongo import system_db
    from services import sync

    for _ in range(10_000):
        sync.run_pending(**options)
        job = system_db().sync_jobs.find_one({"_id": job_id})
        if job["status"] not in ("queued", "running"):
            return job
    raise AssertionError(f"job {job_id} never ended")


def _start(api, headers, kind: str) -> dict:
    response = api.post("/api/system/sync", headers=headers, json={"kind": kind})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["kind"] == kind and body["status"] == "queued" and body["processed"] == 0
    return body


def _card(launch_id: int) -> dict:
    return customer_db().launch_cards.find_one({"_id": str(launch_id)})


@pytest.fixture(autouse=True)
def _no_job_left_running():
    """Another test (the API fuzzer) may have queued jobs with nobody running them: finish those."""
    from services import sync

    while sync.run_pending(time_budget=30) is not None:
        pass


@pytest.fixture
def it_headers(api):
    return demo_login(api, "it@example.com")


@pytest.fixture
def launches(api):
    made = [agency_with_launch(api, days=300 + n)[2] for n in range(3)]
    bookings = [book(made[0]["id"], 2, email="sync-a@example.com"), book(made[1]["id"], 1, email="sync-b@example.com")]
    drain_outbox()
    return made, bookings


def test_reconciliation_repairs_exactly_what_was_broken(api, it_headers, launches):
    made, bookings = launches
    cards, travelers = customer_db().launch_cards, customer_db().traveler_bookings
    _run_to_end(_start(api, it_headers, "reconcile")["id"])  # whatever earlier tests left: a clean start

    before = {m["id"]: _card(m["id"]) for m in made}
    booking_before = travelers.find_one({"_id": str(bookings[1])})
    assert booking_before["status"] == "confirmed" and booking_before["seats"] == 1
    cards.delete_one({"_id": str(made[0]["id"])})                                        # missing
    cards.update_one({"_id": str(made[1]["id"])}, {"$set": {"seats_free": 999, "status": "launched"}})  # differing
    cards.insert_one(dict(before[made[2]["id"]], _id="987654321", launch_id=987654321, slug="ghost-launch"))  # orphan
    travelers.delete_one({"_id": str(bookings[0])})                                      # missing
    travelers.update_one({"_id": str(bookings[1])}, {"$set": {"status": "cancelled", "seats": 5}})  # differing

    job = _run_to_end(_start(api, it_headers, "reconcile")["id"], chunk=2)
    assert job["status"] == "done" and job["errors"] == 0
    # Other tests' cards may drift meanwhile (a launch whose date passes is no longer bookable):
    # among this test's documents, exactly the broken ones were repaired.
    mine_cards = {str(m["id"]) for m in made} | {"987654321"}
    mine_bookings = {str(b) for b in bookings}
    assert set(job["repaired_ids"]["launch_cards"]) & mine_cards == {str(made[0]["id"]), str(made[1]["id"]), "987654321"}
    assert set(job["repaired_ids"]["traveler_bookings"]) & mine_bookings == mine_bookings
    assert job["repaired"] >= 5 and job["processed"] == job["total"] >= 5
    for what in ("launch_cards.missing", "launch_cards.orphan", "launch_cards.differing", "traveler_bookings.missing",
                 "traveler_bookings.differing"):
        assert job["found"][what] >= 1, what
    for launch in made:
        card = _card(launch["id"])
        assert {k: card[k] for k in COMPARED} == {k: before[launch["id"]][k] for k in COMPARED}
    assert cards.find_one({"_id": "987654321"}) is None
    assert _card(made[0]["id"])["origin"] == {"sync_job": job["_id"]}        # its origin: the job that repaired it
    assert _card(made[2]["id"])["origin"]["event_id"] > 0                    # untouched: still its event
    repaired_booking = travelers.find_one({"_id": str(bookings[1])})
    assert repaired_booking["status"] == "confirmed" and repaired_booking["seats"] == 1
    assert travelers.find_one({"_id": str(bookings[0])})["seats"] == 2

    again = _run_to_end(_start(api, it_headers, "reconcile")["id"])
    assert again["status"] == "done" and not set(again["repaired_ids"]["launch_cards"]) & mine_cards
    assert not set(again["repaired_ids"]["traveler_bookings"]) & mine_bookings

    shown = api.get(f"/api/system/sync/{job['_id']}", headers=it_headers).json()
    assert shown["status"] == "done" and shown["repaired"] == job["repaired"] and shown["finished_at"] and shown["duration_seconds"] >= 0
    listed = api.get("/api/system/sync", headers=it_headers).json()
    assert listed["items"][0]["id"] == again["_id"] and listed["total"] >= 3


def test_an_interrupted_resync_resumes_where_it_stopped(api, it_headers, launches):
    from services import sync

    made, bookings = launches
    customer_db().launch_cards.delete_one({"_id": str(made[2]["id"])})
    job_id = _start(api, it_headers, "resync")["id"]
    sync.run_pending(chunk=1, max_chunks=2)  # then the leader dies
    halfway = api.get(f"/api/system/sync/{job_id}", headers=it_headers).json()
    assert halfway["status"] == "running" and halfway["processed"] == 2 < halfway["total"]

    job = _run_to_end(job_id, chunk=1)  # a new leader picks it up
    assert job["status"] == "done" and job["processed"] == job["total"]  # nothing done twice, nothing skipped
    assert job["errors"] == 0 and str(made[2]["id"]) in job["repaired_ids"]["launch_cards"]
    card = _card(made[2]["id"])
    assert card["slug"] == made[2]["slug"] and card["origin"] == {"sync_job": job_id}
    assert _card(made[0]["id"])["seats_free"] == _card(made[0]["id"])["seats_offered"] - 2


def test_two_resyncs_cannot_run_at_once(api, it_headers):
    first = _start(api, it_headers, "resync")
    refused = api.post("/api/system/sync", headers=it_headers, json={"kind": "resync"})
    assert refused.status_code == 409 and refused.json()["error"]["field"] == "kind"
    other_kind = _start(api, it_headers, "reconcile")  # another kind may queue meanwhile
    cancelled = api.post(f"/api/system/sync/{other_kind['id']}/cancel", headers=it_headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert _run_to_end(first["id"])["status"] == "done"
    second = _start(api, it_headers, "resync")  # once the first has ended
    assert _run_to_end(second["id"])["status"] == "done"


def test_a_running_job_is_cancelled_after_its_chunk_and_logged(api, it_headers, launches):
    from services import sync

    job_id = _start(api, it_headers, "resync")["id"]
    sync.run_pending(chunk=1, max_chunks=1)
    response = api.post(f"/api/system/sync/{job_id}/cancel", headers=it_headers)
    assert response.status_code == 200 and response.json()["cancel_requested"] is True
    job = _run_to_end(job_id, chunk=1)
    assert job["status"] == "cancelled" and job["processed"] < job["total"]
    again = api.post(f"/api/system/sync/{job_id}/cancel", headers=it_headers)
    assert again.status_code == 409
    drain_outbox()
    from services.core.mongo import system_db
    actions = {e["action"]: e for e in system_db().entry_logs.find({"subject": f"sync_job:{job_id}"})}
    assert set(actions) == {"sync.job_requested", "sync.job_cancelled", "sync.job_finished"}
    assert actions["sync.job_cancelled"]["actor_email"] == "it@example.com"
    assert actions["sync.job_finished"]["details"]["status"] == "cancelled"


def test_bad_kind_and_unknown_job(api, it_headers):
    bad = api.post("/api/system/sync", headers=it_headers, json={"kind": "everything"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "kind"
    assert api.get("/api/system/sync/abc123", headers=it_headers).status_code == 404


@pytest.mark.parametrize("role, allowed", [("traveler", False), ("agency", False), ("finance", False),
                                           ("it", True), ("admin", True)])
def test_only_it_and_admin_reach_the_sync_routes(api, role, allowed):
    _email, headers = new_traveler(api) if role == "traveler" else new_account(api, role)
    for method, path in (("get", "/api/system/sync"), ("get", "/api/system/outbox"),
                         ("post", "/api/system/outbox/retry")):
        response = getattr(api, method)(path, headers=headers, **({"json": {"consumer": "nobody-here"}} if method == "post" else {}))
        assert (response.status_code == 200) is allowed and (response.status_code == 403) is not allowed, (path, response.text)
    assert api.get("/api/system/sync").status_code == 401
