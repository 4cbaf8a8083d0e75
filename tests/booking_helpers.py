"""Helpers for booking and catalog tests: a published launch (scheduled through the agency API and
projected into the read model), passengers, and a REST booking call."""
import uuid
from datetime import date

from services.sync import read_model
from tests.agency_helpers import add_rocket, new_agency, schedule

APPROVE = "4242424242424242"
DECLINE = "4000000000000002"


def published_launch(api, *, capacity: int = 6, rocket: str | None = None, **launch) -> dict:
    """A scheduled launch whose card is in the read model; returns the agency API's launch JSON."""
    headers = new_agency(api)
    rocket_row = add_rocket(api, headers, name=rocket or f"Hopper {uuid.uuid4().hex[:6]}", capacity=capacity)
    created = schedule(api, headers, rocket_row["id"], **launch)
    read_model.project_launch(created["id"])
    return {**created, "agency_headers": headers}


def passengers(count: int, born: date = date(1985, 5, 17)) -> list[dict]:
    return [{"name": f"Passenger {n + 1}", "email": f"passenger{n + 1}@example.com", "phone": "+1 555 0123",
             "birth_date": born.isoformat()} for n in range(count)]


def book(api, headers: dict, launch_id: int, seats: int = 2, *, key: str | None = None, card: str = APPROVE,
         people: list[dict] | None = None):
    extra = {"Idempotency-Key": key} if key else {}
    body = {"launch_id": launch_id, "passengers": people or passengers(seats), "payment": {"card_number": card}}
    return api.post("/api/bookings", headers={**headers, **extra}, json=body)


def card(api, launch: dict) -> dict:
    response = api.get(f"/api/launches/{launch['slug']}")
    assert response.status_code == 200, response.text
    return response.json()
