"""REST helpers for tests about agencies: an agency with a complete profile, rockets, launches,
and bookings written straight into PostgreSQL (the booking service belongs to another module)."""
from datetime import date, datetime, timedelta, timezone

from tests.helpers import new_account

PROFILE = {"name": "Test Orbital", "tax_id": "VAT-12345", "legal_address": "1 Rocket Road, Hawthorne, CA",
           "contact_email": "ops@test-orbital.example", "contact_phone": "+1 555 0142"}


def future(days: int = 400, hour: int = 14) -> str:
    moment = datetime.now(timezone.utc).replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return moment.isoformat()


def new_agency(api, complete: bool = True) -> dict:
    """A fresh agency account (via the admin API); with `complete`, its profile is filled in."""
    _email, headers = new_account(api, "agency")
    if complete:
        response = api.put("/api/agency/profile", headers=headers, json=PROFILE)
        assert response.status_code == 200, response.text
    return headers


def add_rocket(api, headers: dict, name: str = "Starhopper", capacity: int = 6, range: str = "interplanetary") -> dict:
    response = api.post("/api/agency/rockets", headers=headers, json={"name": name, "capacity": capacity, "range": range})
    assert response.status_code == 201, response.text
    return response.json()


def schedule(api, headers: dict, rocket_id: int, *, spaceport: str = "kourou", destination: str = "moon",
             days: int = 400, price_cents: int = 25_000_000) -> dict:
    response = api.post("/api/agency/launches", headers=headers, json={
        "rocket_id": rocket_id, "spaceport": spaceport, "destination": destination, "date": future(days),
        "price_cents": price_cents})
    assert response.status_code == 201, response.text
    return response.json()


def agency_with_launch(api, **launch) -> tuple[dict, dict, dict]:
    headers = new_agency(api)
    rocket = add_rocket(api, headers)
    return headers, rocket, schedule(api, headers, rocket["id"], **launch)


def book(launch_id: int, seats: int = 2, email: str = "buyer@example.com") -> int:
    """A paid booking with its passengers, as the booking service would leave it."""
    from services.core.db import unit_of_work
    from services.core.models.booking import Booking, Passenger
    from services.core.models.launch import Launch
    from services.core.models.base import utcnow
    from services.booking.events import BookingConfirmed, BookingHeld
    from services.kernel import outbox
    from services.kernel.actor import SYSTEM

    with unit_of_work() as session:
        launch = session.get(Launch, launch_id, with_for_update=True)
        booking = Booking(launch_id=launch_id, traveler_id="t-" + email, traveler_email=email, seats=seats,
                          amount_cents=seats * launch.price_cents, payment_ref=f"ch_test_{launch_id}_{email}")
        session.add(booking)
        session.flush()
        for n in range(seats):
            session.add(Passenger(booking_id=booking.id, name=f"Passenger {n + 1}", email=f"p{n + 1}.{email}",
                                  phone="+1 555 0100", birth_date=date(1985, 5, n + 1)))
        launch.seats_sold += seats
        launch.version += 1
        session.add(launch)
        common = {"booking_id": booking.id, "launch_id": launch_id, "seats": seats}
        outbox.record(session, BookingHeld(**common, hold_expires_at=utcnow().isoformat()), SYSTEM, version=launch.version)
        outbox.record(session, BookingConfirmed(**common, amount_cents=booking.amount_cents,
                                                payment_ref=booking.payment_ref), SYSTEM)
        return booking.id


def make_due(launch_id: int) -> None:
    """The clock reaches the launch date: moves the date into the past, as time passing would, so
    the agency may record the outcome (launched or failed)."""
    from services.core.db import unit_of_work
    from services.core.models.launch import Launch

    with unit_of_work() as session:
        launch = session.get(Launch, launch_id, with_for_update=True)
        launch.date = datetime.now(timezone.utc) - timedelta(minutes=5)
        session.add(launch)
