"""Helpers for finance tests: a launch that ended (its date moved into the past in PostgreSQL,
then its outcome set through the agency API, as an agency would on the day), and its invoice."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from tests.agency_helpers import agency_with_launch, book
from tests.helpers import drain_outbox


def move_launch_date(launch_id: int, days_ago: int = 1) -> None:
    from services.core.db import unit_of_work

    with unit_of_work() as session:
        session.execute(text("update launch set date = :d where id = :id"),
                        {"d": datetime.now(timezone.utc) - timedelta(days=days_ago), "id": launch_id})


def end_launch(api, headers: dict, launch_id: int, status: str = "launched", reason: str = "weather") -> None:
    if status != "aborted":
        move_launch_date(launch_id)
    body = {"status": status, **({"reason": reason} if status == "aborted" else {})}
    response = api.post(f"/api/agency/launches/{launch_id}/status", headers=headers, json=body)
    assert response.status_code == 200, response.text


def ended_launch(api, status: str = "launched", seats: tuple[int, ...] = (2, 1), headers: dict | None = None,
                 price_cents: int = 25_000_000) -> tuple[dict, dict]:
    """An agency (new, or `headers`') with one launch, booked `seats`, ended with `status`;
    the outbox is drained, so the system's invoice (if any) exists. Returns (headers, launch)."""
    if headers is None:
        headers, _rocket, launch = agency_with_launch(api, price_cents=price_cents)
    else:
        from tests.agency_helpers import add_rocket, schedule

        launch = schedule(api, headers, add_rocket(api, headers, name=f"Hopper {datetime.now().microsecond}")["id"],
                          price_cents=price_cents)
    for n, count in enumerate(seats):
        book(launch["id"], seats=count, email=f"buyer{n}-{launch['id']}@example.com")
    end_launch(api, headers, launch["id"], status)
    drain_outbox()
    return headers, launch


def invoices_of(api, agency: dict, launch_id: int) -> list[dict]:
    """The launch's invoices, as its agency lists them (newest first)."""
    response = api.get("/api/agency/invoices", headers=agency, params={"per_page": 100})
    assert response.status_code == 200, response.text
    return [i for i in response.json()["items"] if i["launch_id"] == launch_id]
