"""The customer read model: launch cards projected from the outbox, idempotent, newest wins."""
from datetime import timezone

from services.core.cache import get_redis, key
from services.core.mongo import customer_db
from tests.helpers import drain_outbox
from tests.agency_helpers import PROFILE, agency_with_launch, book, future, make_due


def _drain() -> None:
    drain_outbox()


def _card(launch_id: int) -> dict | None:
    return customer_db().launch_cards.find_one({"_id": str(launch_id)}, projection={"projected_at": 0})


def test_new_launch_is_projected_by_the_relay(api):
    headers, rocket, launch = agency_with_launch(api, destination="mars", spaceport="starbase")
    _drain()
    card = _card(launch["id"])
    assert card["slug"] == launch["slug"] and card["agency_name"] == PROFILE["name"] and card["rocket_name"] == rocket["name"]
    assert card["destination"] == "mars" and card["spaceport"] == "starbase" and card["spaceport_name"].startswith("Starbase")
    assert card["seats_free"] == card["seats_offered"] == rocket["capacity"] and card["status"] == "scheduled"
    assert card["bookable"] is True and card["version"] == launch["version"]
    assert card["date"].astimezone(timezone.utc).isoformat()[:16] == future()[:16]


def test_changes_reproject_and_replays_change_nothing(api):
    headers, _rocket, launch = agency_with_launch(api, days=200)
    _drain()
    api.post(f"/api/agency/launches/{launch['id']}/status", headers=headers,
             json={"status": "delayed", "date": future(220), "reason": "weather"})
    book(launch["id"], 6)
    _drain()
    card = _card(launch["id"])
    assert card["status"] == "delayed" and card["date"].isoformat()[:10] == future(220)[:10]
    assert card["seats_free"] == 0 and card["bookable"] is False and card["version"] == launch["version"] + 2

    from services.sync import read_model

    assert read_model.project_launch(launch["id"]) is False  # same version: nothing to write
    assert read_model.project_all()["launches"] >= 1
    assert _card(launch["id"]) == card


def test_relay_run_twice_gives_the_same_read_model(api):
    from services.core.db import unit_of_work
    from services.core.models.base import utcnow
    from services.core.models.outbox import OutboxDelivery, OutboxEvent
    from sqlmodel import select, update

    headers, _rocket, launch = agency_with_launch(api)
    api.post(f"/api/agency/launches/{launch['id']}/status", headers=headers, json={"status": "aborted", "reason": "weather"})
    _drain()
    first = _card(launch["id"])
    with unit_of_work() as session:
        # Deliver every event of this launch again, as after a crash before the relay marked them delivered.
        ids = select(OutboxEvent.id).where(OutboxEvent.aggregate_id == str(launch["id"]), OutboxEvent.aggregate_type == "launch")
        replayed = session.exec(update(OutboxDelivery).where(OutboxDelivery.event_id.in_(ids))
                                .values(status="pending", next_attempt_at=utcnow())).rowcount
    assert replayed >= 2  # scheduled and aborted, each to the read model and the activity log
    _drain()
    assert _card(launch["id"]) == first and first["status"] == "aborted" and first["bookable"] is False


def test_an_older_version_never_overwrites_a_newer_card(api):
    from services.sync import read_model

    _headers, _rocket, launch = agency_with_launch(api)
    _drain()
    newer = dict(_card(launch["id"]), version=99, status="launched")
    newer["_id"] = str(launch["id"])
    customer_db().launch_cards.replace_one({"_id": newer["_id"]}, newer)
    assert read_model.project_launch(launch["id"]) is False
    assert _card(launch["id"])["status"] == "launched"


def test_projection_invalidates_the_catalog_cache(api):
    r = get_redis()
    headers, _rocket, launch = agency_with_launch(api)
    _drain()
    before = int(r.get(key("catalog", "card-gen", launch["slug"])) or 0)
    lists = int(r.get(key("catalog", "list-gen")) or 0)
    r.set(key("catalog", "launch", launch["slug"], before), "{cached}")
    make_due(launch["id"])
    api.post(f"/api/agency/launches/{launch['id']}/status", headers=headers, json={"status": "launched"})
    _drain()
    after = int(r.get(key("catalog", "card-gen", launch["slug"])))
    assert after > before
    assert int(r.get(key("catalog", "list-gen"))) > lists, "no longer bookable: it leaves the lists"
    # Readers now look under the new generation, where the old card was never cached.
    assert r.get(key("catalog", "launch", launch["slug"], after)) is None
    assert api.get(f"/api/launches/{launch['slug']}").json()["status"] == "launched"


def test_renaming_the_agency_or_rocket_reaches_the_cards(api):
    headers, rocket, launch = agency_with_launch(api)
    _drain()
    api.put("/api/agency/profile", headers=headers, json={**PROFILE, "name": "Renamed Orbital"})
    api.put(f"/api/agency/rockets/{rocket['id']}", headers=headers, json={"name": "Renamed Hopper", "capacity": 9})
    _drain()
    card = _card(launch["id"])
    assert card["agency_name"] == "Renamed Orbital" and card["rocket_name"] == "Renamed Hopper" and card["seats_offered"] == 9

