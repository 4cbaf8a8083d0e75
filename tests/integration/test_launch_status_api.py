"""The launch lifecycle: allowed moves, refused moves (409), abort refunds, history, concurrency."""
import threading

import pytest
from sqlmodel import select

from tests.agency_helpers import agency_with_launch, book, future, make_due
from tests.helpers import drain_outbox


def _change(api, headers, launch, **body):
    return api.post(f"/api/agency/launches/{launch['id']}/status", headers=headers, json=body)


def test_delay_moves_the_date_and_keeps_history(api):
    headers, _rocket, launch = agency_with_launch(api, days=300)
    delayed = _change(api, headers, launch, status="delayed", date=future(320), reason="Range weather")
    assert delayed.status_code == 200
    assert delayed.json()["status"] == "delayed" and delayed.json()["date"][:10] == future(320)[:10]
    assert delayed.json()["version"] == launch["version"] + 1
    again = _change(api, headers, launch, status="delayed", date=future(330))
    assert again.status_code == 200
    detail = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert [(h["from_status"], h["to_status"]) for h in detail["history"]] == [("scheduled", "delayed"), ("delayed", "delayed")]
    assert detail["history"][0]["reason"] == "Range weather" and detail["history"][1]["new_date"][:10] == future(330)[:10]
    assert detail["slug"] == launch["slug"]


def test_delay_needs_a_later_future_date(api):
    headers, _rocket, launch = agency_with_launch(api, days=300)
    missing = _change(api, headers, launch, status="delayed")
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "date"
    earlier = _change(api, headers, launch, status="delayed", date=future(299))
    assert earlier.status_code == 422 and "later than the current launch date" in earlier.json()["error"]["message"]
    _change(api, headers, launch, status="delayed", date=future(310))
    same = _change(api, headers, launch, status="delayed", date=future(310))
    assert same.status_code == 422


@pytest.mark.parametrize("final", ["launched", "failed"])
def test_outcomes_are_terminal(api, final):
    headers, _rocket, launch = agency_with_launch(api)
    make_due(launch["id"])
    assert _change(api, headers, launch, status=final).status_code == 200
    for body in ({"status": "delayed", "date": future(500)}, {"status": "aborted", "reason": "weather"},
                 {"status": "launched"}, {"status": "failed"}, {"status": "scheduled"}):
        refused = _change(api, headers, launch, **body)
        assert refused.status_code == 409, body
        assert f"already {final}" in refused.json()["error"]["message"]
        assert refused.json()["error"]["current_status"] == final


def test_back_to_scheduled_is_refused_naming_the_status(api):
    headers, _rocket, launch = agency_with_launch(api)
    refused = _change(api, headers, launch, status="scheduled")
    assert refused.status_code == 409 and "A scheduled launch cannot become scheduled" in refused.json()["error"]["message"]


def test_abort_needs_a_known_reason(api):
    headers, _rocket, launch = agency_with_launch(api)
    for reason in (None, "bored"):
        refused = _change(api, headers, launch, status="aborted", reason=reason)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "reason"
    bad_status = _change(api, headers, launch, status="exploded")
    assert bad_status.status_code == 422 and bad_status.json()["error"]["field"] == "status"


def test_abort_refunds_every_confirmed_booking_in_full(api):
    from services.core.db import read_session
    from services.core.models.booking import Booking
    from services.core.models.outbox import OutboxEvent

    headers, _rocket, launch = agency_with_launch(api, price_cents=1_000_000)
    first, second = book(launch["id"], 2, "a@example.com"), book(launch["id"], 1, "b@example.com")
    aborted = _change(api, headers, launch, status="aborted", reason="technical")
    assert aborted.status_code == 200 and aborted.json()["abort_reason"] == "technical"
    with read_session() as session:
        bookings = session.exec(select(Booking).where(Booking.launch_id == launch["id"]).order_by(Booking.id)).all()
        event = session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "launch.aborted",
                                                       OutboxEvent.aggregate_id == launch["id"])).one()
    assert [b.id for b in bookings] == [first, second]
    for b in bookings:
        assert b.status.value == "cancelled" and b.refund_percent == 100 and b.refund_cents == b.amount_cents
        assert b.cancelled_at is not None
    assert event.payload["cancelled_booking_ids"] == [first, second] and event.payload["refunded_cents"] == 3_000_000
    # The abort wrote the refunds as pending rows; the refunds consumer pays them after the commit.
    assert _refunds(launch["id"]) == [(first, 2_000_000, "pending"), (second, 1_000_000, "pending")]
    drain_outbox()
    assert _refunds(launch["id"]) == [(first, 2_000_000, "paid"), (second, 1_000_000, "paid")]
    detail = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert detail["paid_cents"] == 3_000_000 and detail["refunded_cents"] == 3_000_000 and detail["collected_cents"] == 0
    assert detail["seats_sold"] == 0 and detail["allowed_moves"] == []


def _refunds(launch_id: int) -> list[tuple[int, int, str]]:
    from services.core.db import read_session
    from services.core.models.booking import Refund

    with read_session() as session:
        rows = session.exec(select(Refund).where(Refund.launch_id == launch_id).order_by(Refund.booking_id)).all()
    return [(r.booking_id, r.amount_cents, r.status.value) for r in rows]


def test_each_change_writes_event_history_and_activity(api):
    from services.core.db import read_session
    from services.core.models.launch import LaunchStatusChange
    from services.core.models.outbox import OutboxEvent
    from services.core.mongo import system_db

    headers, _rocket, launch = agency_with_launch(api)
    _change(api, headers, launch, status="delayed", date=future(450), reason="Crew training")
    with read_session() as session:
        event = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_id == launch["id"],
                                                       OutboxEvent.event_type == "launch.delayed")).one()
        changes = session.exec(select(LaunchStatusChange).where(LaunchStatusChange.launch_id == launch["id"])).all()
    assert event.aggregate_type == "launch" and event.aggregate_version == launch["version"] + 1
    assert event.payload["launch_id"] == launch["id"] and event.entry_point.value == "api" and event.actor_role == "agency"
    assert len(changes) == 1 and changes[0].actor_email.startswith("agency-")
    drain_outbox()
    log = system_db().entry_logs.find_one({"action": "launch.delayed", "subject": f"launch:{launch['id']}"})
    assert log is not None and log["entry_point"] == "api" and log["event_id"] == event.id


def test_stale_version_is_refused(api):
    headers, _rocket, launch = agency_with_launch(api)
    assert _change(api, headers, launch, status="delayed", date=future(500), version=launch["version"]).status_code == 200
    stale = _change(api, headers, launch, status="aborted", reason="weather", version=launch["version"])
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert "now delayed" in stale.json()["error"]["message"]


def _race(api, headers, launch, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    codes: list[int] = []

    def run(body):
        barrier.wait()
        codes.append(_change(api, headers, launch, **body).status_code)

    threads = [threading.Thread(target=run, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


def test_two_agents_ending_a_launch_at_once_cannot_both_win(api):
    headers, _rocket, launch = agency_with_launch(api)
    book(launch["id"], 2)
    make_due(launch["id"])
    codes = _race(api, headers, launch, [{"status": "aborted", "reason": "weather"}, {"status": "launched"},
                                         {"status": "failed"}, {"status": "aborted", "reason": "financial"}])
    assert codes == [200, 409, 409, 409]
    detail = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert len(detail["history"]) == 1 and detail["version"] == launch["version"] + 2  # booking + one change
    if detail["status"] == "aborted":
        assert detail["refunded_cents"] == detail["paid_cents"]


def test_two_agents_acting_on_the_same_version_cannot_both_win(api):
    headers, _rocket, launch = agency_with_launch(api, days=300)
    bodies = [{"status": "delayed", "date": future(301 + n), "version": launch["version"]} for n in range(4)]
    assert _race(api, headers, launch, bodies) == [200, 409, 409, 409]
    assert len(api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()["history"]) == 1


@pytest.mark.parametrize("outcome", ["launched", "failed"])
def test_outcome_before_the_launch_date_is_refused_and_refunds_stay_possible(api, outcome):
    """Marking a launch flown years early would strip its travelers of cancellation and refunds."""
    headers, _rocket, launch = agency_with_launch(api, days=700)
    book(launch["id"], 2)
    early = _change(api, headers, launch, status=outcome)
    assert early.status_code == 409 and early.json()["error"]["code"] == "launch_not_due"
    detail = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert detail["status"] == "scheduled" and detail["allowed_moves"] == ["delayed", "aborted"]
    assert _change(api, headers, launch, status="delayed", date=future(710)).status_code == 200
    make_due(launch["id"])
    assert _change(api, headers, launch, status=outcome).status_code == 200
