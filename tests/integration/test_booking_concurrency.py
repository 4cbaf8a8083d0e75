"""Fifty buyers race for the last ten seats: exactly ten win, the rest are told it is sold out."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func
from sqlmodel import select

from services.core.db import read_session
from services.core.models import Booking, Launch
from services.sync import read_model
from tests.booking_helpers import book, published_launch
from tests.helpers import new_traveler

BUYERS = 50


def test_fifty_buyers_for_ten_seats_never_overbook(api):
    launch = published_launch(api, capacity=12)
    assert book(api, new_traveler(api)[1], launch["id"], 2).status_code == 201
    with ThreadPoolExecutor(max_workers=16) as pool:
        travelers = list(pool.map(lambda _: new_traveler(api)[1], range(BUYERS)))

    start = threading.Barrier(BUYERS)

    def buy(headers):
        start.wait()
        return book(api, headers, launch["id"], 1, key=uuid.uuid4().hex)

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        responses = list(pool.map(buy, travelers))

    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 10, statuses
    losers = [r.json()["error"] for r in responses if r.status_code != 201]
    assert len(losers) == BUYERS - 10
    assert all(e["code"] == "sold_out" and "sold out" in e["message"] for e in losers), losers

    with read_session() as session:
        row = session.get(Launch, launch["id"])
        booked = session.exec(select(func.sum(Booking.seats)).where(Booking.launch_id == launch["id"])).one()
    assert row.seats_sold == booked == 12 == row.seats_offered
    read_model.project_launch(launch["id"])
    assert api.get(f"/api/launches/{launch['slug']}").json()["seats_free"] == 0


def test_a_traveler_racing_themselves_never_passes_the_seat_limit(api):
    """Two orders of 3 seats at once (different keys) from one traveler allowed 4: the position is
    read only once the launch lock is granted, so exactly one order goes through."""
    launch = published_launch(api, capacity=12)
    headers = new_traveler(api)[1]
    start = threading.Barrier(6)

    def buy(_):
        start.wait()
        return book(api, headers, launch["id"], 3, key=uuid.uuid4().hex)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(buy, range(6)))
    assert sorted(r.status_code for r in responses) == [201, 422, 422, 422, 422, 422]
    assert all(r.json()["error"]["code"] == "seat_limit" for r in responses if r.status_code == 422)
    with read_session() as session:
        assert session.get(Launch, launch["id"]).seats_sold == 3
