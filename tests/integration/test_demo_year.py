"""The demo year (`make run`'s demo data) on stores of its own: every portal's main REST reads show
history, each demo role signed in with the demo password, and a second seed adds nothing."""
import os
from datetime import date, datetime, timezone

import pytest

from tests.helpers import demo_login
from tests.notify_helpers import deliver_mail


@pytest.fixture(scope="module")
def demo_api(stack):
    """The REST API on stores of this module's own (the year would change other tests' figures),
    seeded with the demo year, its events delivered and its mail sent to the suite's SMTP server
    (which bounces `bounce-...` and defers `busy-...`, as the demo's sink does)."""
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api
    from astrobookings.dev import demo
    from services.core.settings import get_settings
    from tests.faults import own_stores

    with own_stores():
        os.environ["SMTP_URL"] = stack.env["SMTP_URL"]
        get_settings.cache_clear()
        demo.seed()
        deliver_mail(timeout=120)  # a year of events, a PDF for many: more than a test's usual handful
        with TestClient(create_api()) as client:
            yield client


def _last_twelve_months(today: date) -> set[tuple[int, int]]:
    months, year, month = set(), today.year, today.month
    for _ in range(12):
        months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def test_finance_sees_invoices_in_every_state_and_a_year_of_revenue(demo_api):
    finance = demo_login(demo_api, "finance@example.com")
    for status in ("paid", "partially_paid", "pending", "overdue", "cancelled"):
        listed = demo_api.get("/api/finance/invoices", headers=finance, params={"status": status}).json()
        assert listed["total"] >= 1, f"no {status} invoice"
    today = datetime.now(timezone.utc).date()
    earning = set()
    for year in (today.year - 1, today.year):
        report = demo_api.get("/api/finance/reports/annual", headers=finance, params={"year": year}).json()
        earning |= {(year, m["month"]) for m in report["months"] if m["actual_cents"] > 0}
    assert len(earning & _last_twelve_months(today)) >= 10, sorted(earning)
    agencies = demo_api.get("/api/finance/reports/revenue", headers=finance).json()["items"]
    assert len([a for a in agencies if a["invoiced_cents"] > 0]) >= 3
    aging = demo_api.get("/api/finance/reports/aging", headers=finance).json()["items"]
    assert len([b for b in aging if b["bucket"] != "current" and b["outstanding_cents"] > 0]) >= 3


def test_agency_sees_launches_in_five_statuses(demo_api):
    agency = demo_login(demo_api, "agency@example.com")
    launches = demo_api.get("/api/agency/launches", headers=agency, params={"per_page": 100}).json()["items"]
    assert {"launched", "failed", "aborted", "delayed", "scheduled"} <= {l["status"] for l in launches}
    soon = [l for l in launches if l["status"] == "scheduled"
            and 0 < (datetime.fromisoformat(l["date"]) - datetime.now(timezone.utc)).total_seconds() < 3600]
    assert soon, "a launch within the next hour"
    assert demo_api.get("/api/agency/invoices", headers=agency).json()["total"] >= 5


def test_traveler_sees_a_past_trip_a_refund_and_unread_news(demo_api):
    traveler = demo_login(demo_api, "traveler@example.com")
    trips = demo_api.get("/api/bookings", headers=traveler, params={"per_page": 50}).json()["items"]
    now = datetime.now(timezone.utc)
    assert any(t["status"] == "confirmed" and datetime.fromisoformat(t["launch"]["date"]) < now for t in trips)
    assert any(t["status"] == "cancelled" and t["refund_cents"] > 0 for t in trips)
    assert demo_api.get("/api/me/notifications", headers=traveler).json()["unread"] > 0
    vip = demo_login(demo_api, "vip@example.com")
    vip_trips = demo_api.get("/api/bookings", headers=vip, params={"per_page": 50}).json()["items"]
    assert len({t["launch_id"] for t in vip_trips if t["status"] == "confirmed"}) >= 2
    _assert_vip_may_book_six()
    refunds = {b["refund_percent"] for b in _all_bookings()}
    assert {90, 70, 0, 100} <= refunds


def _assert_vip_may_book_six() -> None:
    """vip@example.com is a VIP: six seats on a launch it has not booked yet."""
    from sqlalchemy import text

    from services.core.db import read_session
    from services.core.mongo import system_db
    from services.booking import bookings
    from services.kernel.actor import Actor

    vip_id = system_db().users.find_one({"email": "vip@example.com"})["_id"]
    with read_session() as session:
        launch_id = session.execute(text(
            "select id from launch where status = 'scheduled' and date > now() and id not in "
            "(select launch_id from booking where traveler_id = :vip) order by date limit 1"), {"vip": vip_id}).scalar_one()
    allowance = bookings.seat_allowance(Actor(user_id=vip_id, email="vip@example.com", role="traveler"), launch_id)
    assert allowance.vip and allowance.limit == 6 and allowance.allowed == 6


def _all_bookings() -> list[dict]:
    from sqlalchemy import text

    from services.core.db import read_session

    with read_session() as session:
        rows = session.execute(text("select refund_percent from booking where status = 'cancelled'")).all()
    return [{"refund_percent": r[0]} for r in rows]


def test_it_sees_a_failed_notification_and_a_finished_sync_job(demo_api):
    it = demo_login(demo_api, "it@example.com")
    failed = demo_api.get("/api/notifications", headers=it, params={"status": "failed"}).json()
    assert failed["total"] >= 1
    retried = demo_api.get("/api/notifications", headers=it, params={"recipient": "busy-lena.fischer@example.com"}).json()
    assert any(n["attempts"] for n in retried["items"])
    jobs = {j["status"] for j in demo_api.get("/api/system/sync", headers=it).json()["items"]}
    assert {"done", "failed"} <= jobs
    for role in ("traveler", "agency", "finance", "it", "admin", "system"):
        assert demo_api.get("/api/system/logs", headers=it, params={"role": role}).json()["total"] >= 1, role
    for entry_point in ("web", "api", "job"):
        assert demo_api.get("/api/system/logs", headers=it, params={"entry_point": entry_point}).json()["total"] >= 1


def test_a_second_seed_adds_nothing(demo_api):
    from sqlalchemy import text

    from services.core.db import read_session
    from astrobookings.dev import demo
    from services.core.mongo import system_db

    def counts():
        with read_session() as session:
            rows = session.execute(text("select (select count(*) from launch), (select count(*) from booking), "
                                        "(select count(*) from invoice), (select count(*) from outbox_event)")).one()
        return tuple(rows), system_db().users.count_documents({})

    before = counts()
    demo.seed()
    assert counts() == before
    assert before[0][0] >= 40 and before[1] >= 40
