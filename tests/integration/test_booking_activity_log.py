"""Bookings reach the activity log through the relay, once per event, with their origin."""
from sqlmodel import select

from astrobookings.db import read_session
from astrobookings.models.documents import EntryLog
from astrobookings.models.outbox import OutboxEvent
from astrobookings.mongo import system_db
from services import activity
from tests.booking_helpers import book, published_launch
from tests.helpers import drain_outbox, new_traveler


def test_booking_and_cancellation_are_logged_once_with_their_origin(api):
    launch = published_launch(api, days=500)
    email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 1).json()
    assert api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers).status_code == 200
    drain_outbox()
    logs = system_db()[EntryLog.collection]
    created = logs.find_one({"action": "booking.create", "subject": f"booking:{booking['id']}"})
    cancelled = logs.find_one({"action": "booking.cancel", "subject": f"booking:{booking['id']}"})
    assert created["actor_email"] == email and created["actor_role"] == "traveler" and created["entry_point"] == "api"
    assert created["client_address"] and created["details"]["launch_id"] == launch["id"]
    assert cancelled["details"]["refund_percent"] == 90

    # A relay that repeats the batch after a crash writes nothing twice.
    with read_session() as session:
        events = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_type == "booking",
                                                        OutboxEvent.aggregate_id == booking["id"])).all()
    activity.record_events(list(events), {"booking.created": "booking.create", "booking.cancelled": "booking.cancel"})
    assert logs.count_documents({"subject": f"booking:{booking['id']}"}) == 2
