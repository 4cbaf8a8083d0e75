"""Bookings reach the activity log through the relay, once per event, with their origin."""
from sqlmodel import select

from services.core.db import read_session
from services.core.models.documents import EntryLog
from services.core.models.outbox import OutboxEvent
from services.core.mongo import system_db
from services.kernel import relay
from services.monitor import activity
from tests.booking_helpers import book, published_launch
from tests.helpers import drain_outbox, new_traveler


def test_booking_and_cancellation_are_logged_once_with_their_origin(api):
    launch = published_launch(api, days=500)
    email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 1).json()
    assert api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers).status_code == 200
    drain_outbox()
    logs = system_db()[EntryLog.collection]
    subject = f"booking:{booking['id']}"
    held, confirmed, cancelled = (logs.find_one({"action": a, "subject": subject})
                                  for a in ("booking.held", "booking.confirmed", "booking.cancelled"))
    assert held["actor_email"] == email and held["actor_role"] == "traveler" and held["entry_point"] == "api"
    assert held["client_address"] and held["details"]["launch_id"] == launch["id"]
    assert confirmed["details"]["payment_ref"] == booking["payment_ref"]
    assert cancelled["details"]["refund_percent"] == 90
    # The refund the cancellation wrote was paid by the refunds consumer, and that is logged too.
    paid = logs.find_one({"action": "refund.paid", "details.booking_id": booking["id"]})
    assert paid["details"]["amount_cents"] == cancelled["details"]["refund_cents"] and paid["actor_role"] == "system"

    # A relay that repeats the delivery after a crash writes nothing twice.
    with read_session() as session:
        events = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_type == "booking",
                                                        OutboxEvent.aggregate_id == str(booking["id"]))).all()
    activity.record_events([relay.envelope(e) for e in events])
    assert logs.count_documents({"subject": subject}) == 3
