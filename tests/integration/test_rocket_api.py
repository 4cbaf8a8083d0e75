"""Rockets: create, list, edit, delete; changes that would strand open launches are refused."""
import pytest

from tests.agency_helpers import add_rocket, book, make_due, new_agency, schedule
from tests.helpers import new_traveler


def test_create_list_get_update_delete(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers, name="Skylark", capacity=4, range="low_earth_orbit")
    assert rocket["destinations"] == ["edge-of-space", "low-earth-orbit", "space-station"]
    listed = api.get("/api/agency/rockets", headers=headers).json()
    assert listed["total"] == 1 and listed["items"][0]["name"] == "Skylark"
    assert api.get(f"/api/agency/rockets/{rocket['id']}", headers=headers).json()["capacity"] == 4
    edited = api.put(f"/api/agency/rockets/{rocket['id']}", headers=headers, json={"name": "Skylark II", "capacity": 8})
    assert edited.status_code == 200 and edited.json()["name"] == "Skylark II" and edited.json()["capacity"] == 8
    assert api.delete(f"/api/agency/rockets/{rocket['id']}", headers=headers).status_code == 204
    assert api.get(f"/api/agency/rockets/{rocket['id']}", headers=headers).status_code == 404


def test_rocket_list_is_paginated(api):
    headers = new_agency(api)
    for n in range(3):
        add_rocket(api, headers, name=f"Rocket {n}")
    page = api.get("/api/agency/rockets", headers=headers, params={"per_page": 2, "page": 2}).json()
    assert page["total"] == 3 and [r["name"] for r in page["items"]] == ["Rocket 2"]


@pytest.mark.parametrize("body,field,words", [
    ({"name": "S", "capacity": 4, "range": "suborbital"}, "name", "Name must be at least 2 characters"),
    ({"name": "Skylark", "capacity": 0, "range": "suborbital"}, "capacity", "Capacity must be greater than 0"),
    ({"name": "Skylark", "capacity": 101, "range": "suborbital"}, "capacity", "Capacity must be at most 100"),
    ({"name": "Skylark", "capacity": "many", "range": "suborbital"}, "capacity", "Capacity must be a whole number"),
    ({"name": "Skylark", "capacity": 4, "range": "galactic"}, "range", "Range"),
    ({"name": "Skylark", "capacity": 4}, "range", "Range is required"),
])
def test_bad_rocket_input_names_the_field(api, body, field, words):
    headers = new_agency(api)
    response = api.post("/api/agency/rockets", headers=headers, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field and words in response.json()["error"]["message"]


def test_rocket_with_open_launch_cannot_be_deleted(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers)
    schedule(api, headers, rocket["id"])
    refused = api.delete(f"/api/agency/rockets/{rocket['id']}", headers=headers)
    assert refused.status_code == 409 and "open launch" in refused.json()["error"]["message"]


def test_rocket_with_only_past_launches_keeps_its_record(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers)
    launch = schedule(api, headers, rocket["id"])
    make_due(launch["id"])
    api.post(f"/api/agency/launches/{launch['id']}/status", headers=headers, json={"status": "launched"})
    refused = api.delete(f"/api/agency/rockets/{rocket['id']}", headers=headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "rocket_has_history"


def test_capacity_cannot_drop_below_seats_sold_on_open_launches(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers, capacity=6)
    launch = schedule(api, headers, rocket["id"])
    book(launch["id"], seats=4)
    refused = api.put(f"/api/agency/rockets/{rocket['id']}", headers=headers, json={"capacity": 3})
    assert refused.status_code == 409
    assert refused.json()["error"]["field"] == "capacity" and "already sold 4 seats" in refused.json()["error"]["message"]
    allowed = api.put(f"/api/agency/rockets/{rocket['id']}", headers=headers, json={"capacity": 4})
    assert allowed.status_code == 200
    seats = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert seats["seats_offered"] == 4 and seats["seats_free"] == 0


def test_range_cannot_shrink_below_an_open_launch_destination(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers, range="interplanetary")
    schedule(api, headers, rocket["id"], destination="mars")
    refused = api.put(f"/api/agency/rockets/{rocket['id']}", headers=headers, json={"range": "low_earth_orbit"})
    assert refused.status_code == 409 and refused.json()["error"]["field"] == "range"


def test_another_agencys_rocket_answers_404(api):
    owner, intruder = new_agency(api), new_agency(api)
    rocket = add_rocket(api, owner)
    path = f"/api/agency/rockets/{rocket['id']}"
    assert api.get(path, headers=intruder).status_code == 404
    assert api.put(path, headers=intruder, json={"name": "Stolen"}).status_code == 404
    assert api.delete(path, headers=intruder).status_code == 404
    assert api.get("/api/agency/rockets", headers=intruder).json()["total"] == 0
    assert api.get(path, headers=owner).json()["name"] == rocket["name"]


def test_rockets_need_the_agency_role(api):
    _, traveler = new_traveler(api)
    assert api.get("/api/agency/rockets", headers=traveler).status_code == 403
    assert api.post("/api/agency/rockets", headers=traveler, json={"name": "X1", "capacity": 1, "range": "suborbital"}).status_code == 403
    assert api.get("/api/agency/rockets").status_code == 401


def test_duplicate_rocket_name_within_an_agency_is_refused(api):
    headers = new_agency(api)
    add_rocket(api, headers, name="Skylark")
    twin = api.post("/api/agency/rockets", headers=headers, json={"name": " skylark ", "capacity": 4, "range": "suborbital"})
    assert twin.status_code == 409 and twin.json()["error"]["field"] == "name"
    assert twin.json()["error"]["code"] == "duplicate_name" and "Skylark" in twin.json()["error"]["message"]
    other = add_rocket(api, headers, name="Falcon")
    renamed = api.put(f"/api/agency/rockets/{other['id']}", headers=headers, json={"name": "SKYLARK"})
    assert renamed.status_code == 409 and renamed.json()["error"]["field"] == "name"
    # Another agency may use the same name; the refused rename left the rocket as it was.
    assert add_rocket(api, new_agency(api), name="Skylark")["name"] == "Skylark"
    assert api.get(f"/api/agency/rockets/{other['id']}", headers=headers).json()["name"] == "Falcon"


def test_unique_index_refuses_a_duplicate_that_slips_past_the_check():
    """The database has the last word (two requests racing past the service's check)."""
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    from services.core.db import get_engine
    from services.core.models.agency import Agency, Rocket
    with Session(get_engine()) as session:
        agency = Agency(name="Twin Rockets", user_id="twin-rockets-test")
        session.add(agency)
        session.flush()
        session.add(Rocket(agency_id=agency.id, name="Twin", capacity=2, range="suborbital"))
        session.flush()
        session.add(Rocket(agency_id=agency.id, name="twin ", capacity=2, range="suborbital"))
        with pytest.raises(IntegrityError, match="uq_rocket_agency_name"):
            session.flush()
        session.rollback()
