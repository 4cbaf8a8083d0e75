"""Every change reaches the activity log through its outbox event, and only there: the EntryLog's
action is the event's type, its id names the event, and no request wrote it itself."""
from sqlmodel import select

from services.core.db import read_session
from services.core.models.documents import EntryLog
from services.core.models.outbox import OutboxEvent
from services.core.mongo import system_db
from tests.agency_helpers import PROFILE, add_rocket, future, new_agency, schedule
from tests.booking_helpers import book
from tests.helpers import PASSWORD, demo_login, drain_outbox, login, register_body, unique_email


def _logged(subject: str) -> list[str]:
    return sorted(d["action"] for d in system_db()[EntryLog.collection].find({"subject": subject}))


def test_every_change_is_logged_from_its_event_with_the_same_name(api):
    body = register_body()
    user_id = api.post("/api/auth/register", json=body).json()["id"]
    traveler = login(api, body["email"])
    assert api.put("/api/auth/me", headers=traveler, json={"name": "Renamed Traveler", "phone": "+1 555 0199",
                                                           "tax_id": "TX-9", "address": "2 Test Street"}).status_code == 200
    admin = demo_login(api, "admin@example.com")
    staff = api.post("/api/admin/users", headers=admin, json={"email": unique_email("it"), "password": PASSWORD,
                                                              "name": "Test IT", "role": "it"}).json()
    assert api.patch(f"/api/admin/users/{staff['id']}", headers=admin, json={"disabled": True}).status_code == 200

    agency = new_agency(api)
    agency_id = api.put("/api/agency/profile", headers=agency, json={**PROFILE, "name": "Logged Orbital"}).json()["id"]
    rocket = add_rocket(api, agency, name="Logger One", capacity=4)
    spare = add_rocket(api, agency, name="Spare Logger", capacity=2)
    assert api.put(f"/api/agency/rockets/{rocket['id']}", headers=agency, json={"capacity": 5}).status_code == 200
    assert api.delete(f"/api/agency/rockets/{spare['id']}", headers=agency).status_code == 204
    launch = schedule(api, agency, rocket["id"], days=300)
    assert api.post(f"/api/agency/launches/{launch['id']}/status", headers=agency,
                    json={"status": "delayed", "date": future(320), "reason": "Range weather"}).status_code == 200
    booking = book(api, traveler, launch["id"], 1).json()
    assert api.post(f"/api/bookings/{booking['id']}/cancel", headers=traveler).status_code == 200
    drain_outbox()

    assert _logged(f"user:{user_id}") == ["auth.profile_updated", "auth.registered", "auth.signed_in"]
    assert _logged(f"user:{staff['id']}") == ["auth.user_created", "auth.user_updated"]
    assert "agency.profile_updated" in _logged(f"agency:{agency_id}")
    assert _logged(f"rocket:{rocket['id']}") == ["rocket.created", "rocket.updated"]
    assert _logged(f"rocket:{spare['id']}") == ["rocket.created", "rocket.deleted"]
    assert _logged(f"launch:{launch['id']}") == ["launch.delayed", "launch.scheduled"]
    assert _logged(f"booking:{booking['id']}") == ["booking.cancelled", "booking.confirmed", "booking.held"]

    # Each entry is its event: same id, same name, same origin.
    with read_session() as session:
        events = session.exec(select(OutboxEvent).where(OutboxEvent.aggregate_id.in_(
            [user_id, staff["id"], str(rocket["id"]), str(launch["id"]), str(booking["id"])]))).all()
    logs = system_db()[EntryLog.collection]
    for event in events:
        entry = logs.find_one({"_id": f"event-{event.id}"})
        assert entry is not None, event.event_type
        assert (entry["action"], entry["event_id"], entry["actor_email"]) == (event.event_type, event.id, event.actor_email)
    disabled = logs.find_one({"action": "auth.user_updated", "subject": f"user:{staff['id']}"})
    assert disabled["details"]["changes"] == {"disabled": True} and disabled["actor_role"] == "admin"
