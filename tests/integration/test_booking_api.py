"""Booking through the REST API against real PostgreSQL, MongoDB and Redis."""
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

from sqlmodel import select

from services.core.db import read_session
from services.core.models import Booking, Launch, OutboxEvent
from tests.booking_helpers import DECLINE, book, card, passengers, published_launch
from tests.helpers import drain_outbox, new_account, new_traveler


def _launch_row(launch_id: int) -> Launch:
    with read_session() as session:
        return session.get(Launch, launch_id)


def _events(launch_id: int, event_type: str) -> list[OutboxEvent]:
    with read_session() as session:
        rows = session.exec(select(OutboxEvent).where(OutboxEvent.event_type == event_type)).all()
    return [e for e in rows if e.payload.get("launch_id") == launch_id]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def test_traveler_books_two_seats_and_sees_the_booking(api):
    launch = published_launch(api, price_cents=25_000_000)
    _email, headers = new_traveler(api)
    created = book(api, headers, launch["id"], 2)
    assert created.status_code == 201, created.text
    booking = created.json()
    assert booking["seats"] == 2 and booking["amount_cents"] == 50_000_000 and booking["status"] == "confirmed"
    assert [p["name"] for p in booking["passengers"]] == ["Passenger 1", "Passenger 2"]
    assert booking["payment_ref"].startswith("ch_sandbox_")
    assert booking["launch"]["slug"] == launch["slug"] and booking["launch"]["status"] == "scheduled"
    assert booking["cancel_quote"]["refund_percent"] == 90

    listed = api.get("/api/bookings", headers=headers).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == booking["id"]
    one = api.get(f"/api/bookings/{booking['id']}", headers=headers).json()
    assert one["passengers"][1]["email"] == "passenger2@example.com"

    row = _launch_row(launch["id"])
    assert row.seats_sold == 2 and row.version == launch["version"] + 1
    # Held under the launch lock, then confirmed once the card was charged: two events.
    [held] = _events(launch["id"], "booking.held")
    [confirmed] = _events(launch["id"], "booking.confirmed")
    assert held.payload["booking_id"] == confirmed.payload["booking_id"] == booking["id"]
    assert held.entry_point.value == "api" and held.id < confirmed.id
    assert confirmed.payload["payment_ref"] == booking["payment_ref"] and confirmed.payload["amount_cents"] == 50_000_000


def test_read_model_follows_a_booking(api):
    from services.sync import read_model

    launch = published_launch(api)
    assert card(api, launch)["seats_free"] == 6
    _email, headers = new_traveler(api)
    assert book(api, headers, launch["id"], 3).status_code == 201
    read_model.project_launch(launch["id"])
    assert card(api, launch)["seats_free"] == 3


def test_replayed_idempotency_key_returns_the_first_booking(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    key = uuid.uuid4().hex
    first = book(api, headers, launch["id"], 2, key=key)
    again = book(api, headers, launch["id"], 2, key=key)
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert _launch_row(launch["id"]).seats_sold == 2
    assert api.get("/api/bookings", headers=headers).json()["total"] == 1


def test_a_key_sent_five_times_at_once_books_once(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(lambda _: book(api, headers, launch["id"], 2, key=key), range(5)))
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _launch_row(launch["id"]).seats_sold == 2


def test_same_key_from_another_traveler_is_another_booking(api):
    launch = published_launch(api)
    key = uuid.uuid4().hex
    first = book(api, new_traveler(api)[1], launch["id"], 1, key=key)
    second = book(api, new_traveler(api)[1], launch["id"], 1, key=key)
    assert first.status_code == second.status_code == 201 and first.json()["id"] != second.json()["id"]


def test_declined_card_releases_the_hold_and_books_nothing(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    key = uuid.uuid4().hex
    response = book(api, headers, launch["id"], 2, card=DECLINE, key=key)
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "payment_declined" and error["field"] == "payment.card_number"
    assert "declined" in error["message"]
    assert _launch_row(launch["id"]).seats_sold == 0
    assert api.get("/api/bookings", headers=headers).json()["total"] == 0
    [held], [released] = _events(launch["id"], "booking.held"), _events(launch["id"], "booking.released")
    assert released.payload["booking_id"] == held.payload["booking_id"] and released.payload["reason"] == "declined"
    assert _events(launch["id"], "booking.confirmed") == []
    # The released hold frees its key: the same request with a card that works books.
    again = book(api, headers, launch["id"], 2, key=key)
    assert again.status_code == 201 and again.json()["status"] == "confirmed"
    assert _launch_row(launch["id"]).seats_sold == 2


def test_an_invalid_card_number_is_refused_before_any_seat_is_held(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    response = book(api, headers, launch["id"], 1, card="4242424242424241")
    assert response.status_code == 422 and response.json()["error"]["field"] == "payment.card_number"
    assert _events(launch["id"], "booking.held") == [] and _launch_row(launch["id"]).version == launch["version"]


def test_an_idempotency_key_reused_for_another_order_is_refused(api):
    launch = published_launch(api, capacity=10)
    _email, headers = new_traveler(api)
    key = uuid.uuid4().hex
    assert book(api, headers, launch["id"], 2, key=key).status_code == 201
    other = book(api, headers, launch["id"], 3, key=key)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused" and other.json()["error"]["field"] == "Idempotency-Key"
    assert _launch_row(launch["id"]).seats_sold == 2 and api.get("/api/bookings", headers=headers).json()["total"] == 1


def test_seat_limit_counts_seats_already_held(api):
    launch = published_launch(api, capacity=20)
    _email, headers = new_traveler(api)
    assert book(api, headers, launch["id"], 3).status_code == 201
    refused = book(api, headers, launch["id"], 2)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "seat_limit" and error["field"] == "passengers"
    assert "at most 4 seats" in error["message"] and "already hold 3" in error["message"]
    assert book(api, headers, launch["id"], 1).status_code == 201


def test_vip_with_two_earlier_trips_may_book_six(api):
    _email, headers = new_traveler(api)
    for _ in range(2):
        assert book(api, headers, published_launch(api)["id"], 1).status_code == 201
    launch = published_launch(api, capacity=20)
    assert book(api, headers, launch["id"], 6).status_code == 201
    refused = book(api, headers, launch["id"], 1)
    assert refused.status_code == 422 and "VIP" in refused.json()["error"]["message"]
    newcomer = book(api, new_traveler(api)[1], launch["id"], 5)
    assert newcomer.status_code == 422 and "at most 4" in newcomer.json()["error"]["message"]


def test_passengers_must_be_18_to_70_on_the_launch_date(api):
    launch = published_launch(api)
    flight_day = datetime.fromisoformat(launch["date"]).date()
    _email, headers = new_traveler(api)
    eighteenth_birthday = _years_before(flight_day, 18)
    people = passengers(2)
    people[1]["birth_date"] = (eighteenth_birthday + timedelta(days=1)).isoformat()
    too_young = book(api, headers, launch["id"], people=people)
    assert too_young.status_code == 422
    assert too_young.json()["error"]["field"] == "passengers.1.birth_date"
    assert "Passenger 2 must be 18 to 70" in too_young.json()["error"]["message"]
    people[1]["birth_date"] = eighteenth_birthday.isoformat()
    assert book(api, headers, launch["id"], people=people).status_code == 201


def test_sold_out_and_only_n_left_say_so(api):
    launch = published_launch(api, capacity=3)
    first, second = new_traveler(api)[1], new_traveler(api)[1]
    assert book(api, first, launch["id"], 2).status_code == 201
    few = book(api, second, launch["id"], 2)
    assert few.status_code == 409 and few.json()["error"]["code"] == "not_enough_seats"
    assert "Only 1 seat left" in few.json()["error"]["message"]
    assert book(api, second, launch["id"], 1).status_code == 201
    sold_out = book(api, new_traveler(api)[1], launch["id"], 1)
    assert sold_out.status_code == 409 and sold_out.json()["error"]["code"] == "sold_out"


def test_bad_input_names_the_field(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    people = passengers(1)
    people[0]["email"] = "not-an-email"
    bad_email = book(api, headers, launch["id"], people=people)
    assert bad_email.status_code == 422 and bad_email.json()["error"]["field"] == "passengers.0.email"
    missing = api.post("/api/bookings", headers=headers, json={"launch_id": launch["id"], "passengers": passengers(1)})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "payment"
    unknown = book(api, headers, 999_999, 1)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "launch_id"


def test_only_travelers_book(api):
    launch = published_launch(api)
    assert book(api, {}, launch["id"], 1).status_code == 401
    _email, agency = new_account(api, "agency")
    assert book(api, agency, launch["id"], 1).status_code == 403


def test_aborted_launch_is_closed_and_shows_full_refund(api):
    launch = published_launch(api)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 2).json()
    aborted = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                       json={"status": "aborted", "reason": "weather"})
    assert aborted.status_code == 200, aborted.text
    mine = api.get(f"/api/bookings/{booking['id']}", headers=headers).json()
    assert mine["launch"]["status"] == "aborted" and mine["refund_cents"] == booking["amount_cents"]
    assert mine["cancel_quote"] is None and mine["refund_status"] == "pending"
    drain_outbox()
    paid = api.get(f"/api/bookings/{booking['id']}", headers=headers).json()
    assert paid["refund_status"] == "paid" and paid["refund_ref"].startswith("re_sandbox_")
    closed = book(api, headers, launch["id"], 1)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "not_bookable"


def test_delayed_launch_shows_its_new_date(api):
    launch = published_launch(api, days=200)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 1).json()
    new_date = "2031-01-15T10:00:00+00:00"
    delayed = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                       json={"status": "delayed", "date": new_date, "reason": "range conflict"})
    assert delayed.status_code == 200, delayed.text
    mine = api.get(f"/api/bookings/{booking['id']}", headers=headers).json()
    assert mine["launch"]["status"] == "delayed"
    assert datetime.fromisoformat(mine["launch"]["date"]) == datetime.fromisoformat(new_date)
    assert mine["cancel_quote"]["refund_percent"] == 90
    assert book(api, headers, launch["id"], 1).status_code == 201


def test_another_travelers_booking_is_not_found(api):
    launch = published_launch(api)
    owner = new_traveler(api)[1]
    booking = book(api, owner, launch["id"], 1).json()
    stranger = new_traveler(api)[1]
    assert api.get(f"/api/bookings/{booking['id']}", headers=stranger).status_code == 404
    assert api.post(f"/api/bookings/{booking['id']}/cancel", headers=stranger).status_code == 404
    assert api.get("/api/bookings", headers=stranger).json()["total"] == 0
    with read_session() as session:
        assert session.get(Booking, booking["id"]).status.value == "confirmed"


def test_a_sold_out_launch_refuses_at_a_glance_but_a_replay_still_returns_its_booking(api):
    launch = published_launch(api, capacity=2)
    _email, first = new_traveler(api)
    booked = book(api, first, launch["id"], 2, key="all-of-it")
    assert booked.status_code == 201
    late = book(api, new_traveler(api)[1], launch["id"], 1)
    assert late.status_code == 409 and late.json()["error"]["code"] == "sold_out"
    replay = book(api, first, launch["id"], 2, key="all-of-it")
    assert replay.status_code == 200 and replay.json()["id"] == booked.json()["id"]
    assert _launch_row(launch["id"]).seats_sold == 2
