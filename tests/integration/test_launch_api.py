"""Scheduling launches: the rocket's range, known spaceports, future dates, readable slugs."""
import pytest

from tests.agency_helpers import add_rocket, agency_with_launch, future, new_agency, schedule
from tests.helpers import new_traveler


def test_schedule_returns_the_launch_with_seats_and_slug(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers, name="Star Hopper", capacity=5)
    launch = schedule(api, headers, rocket["id"], spaceport="kourou", destination="moon", price_cents=123_456)
    assert launch["status"] == "scheduled" and launch["seats_offered"] == 5 and launch["seats_free"] == 5
    assert launch["slug"] == f"{future()[:10]}-star-hopper-kourou-to-moon"
    assert launch["price_cents"] == 123_456 and isinstance(launch["id"], int)
    detail = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert detail["rocket_name"] == "Star Hopper" and detail["spaceport_name"].startswith("Guiana Space Centre")
    # Outcomes wait for the launch date: before it, the agency may only delay or abort.
    assert detail["allowed_moves"] == ["delayed", "aborted"] and detail["history"] == []


def test_same_name_gets_a_numbered_slug(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers, name="Twin Star")
    slugs = [schedule(api, headers, rocket["id"], days=500)["slug"] for _ in range(3)]
    base = f"{future(500)[:10]}-twin-star-kourou-to-moon"
    assert slugs == [base, base + "-2", base + "-3"]


def test_list_launches_is_paginated_and_filtered(api):
    headers = new_agency(api)
    rocket = add_rocket(api, headers)
    ids = [schedule(api, headers, rocket["id"], days=300 + n)["id"] for n in range(3)]
    api.post(f"/api/agency/launches/{ids[0]}/status", headers=headers, json={"status": "aborted", "reason": "weather"})
    page = api.get("/api/agency/launches", headers=headers, params={"per_page": 2}).json()
    assert page["total"] == 3 and [l["id"] for l in page["items"]] == [ids[2], ids[1]]
    aborted = api.get("/api/agency/launches", headers=headers, params={"status": "aborted"}).json()
    assert [l["id"] for l in aborted["items"]] == [ids[0]]


@pytest.mark.parametrize("change,field,words", [
    ({"spaceport": "atlantis"}, "spaceport", "Spaceport must be one of"),
    ({"destination": "jupiter"}, "destination", "Destination must be one of"),
    ({"date": "2001-01-01T10:00:00Z"}, "date", "Date must be in the future"),
    ({"date": "next tuesday"}, "date", "Date"),
    ({"price_cents": 0}, "price_cents", "Price per seat must be greater than $0.00"),
    ({"price_cents": 12.5}, "price_cents", "Price per seat"),
    ({"rocket_id": None}, "rocket_id", "Rocket"),
])
def test_bad_launch_input_names_the_field(api, change, field, words):
    headers = new_agency(api)
    rocket = add_rocket(api, headers)
    body = {"rocket_id": rocket["id"], "spaceport": "kourou", "destination": "moon", "date": future(), "price_cents": 100, **change}
    response = api.post("/api/agency/launches", headers=headers, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field and words in response.json()["error"]["message"]


def test_destination_must_be_within_the_rockets_range(api):
    headers = new_agency(api)
    hopper = add_rocket(api, headers, name="Hopper", range="suborbital")
    refused = api.post("/api/agency/launches", headers=headers, json={
        "rocket_id": hopper["id"], "spaceport": "spaceport-america", "destination": "space-station", "date": future(),
        "price_cents": 100})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "destination" and "beyond this rocket's range" in refused.json()["error"]["message"]
    assert schedule(api, headers, hopper["id"], spaceport="spaceport-america", destination="edge-of-space")["id"]


def test_another_agencys_rocket_cannot_carry_my_launch(api):
    owner, intruder = new_agency(api), new_agency(api)
    rocket = add_rocket(api, owner)
    refused = api.post("/api/agency/launches", headers=intruder, json={
        "rocket_id": rocket["id"], "spaceport": "kourou", "destination": "moon", "date": future(), "price_cents": 100})
    assert refused.status_code == 404 and refused.json()["error"]["field"] == "rocket_id"


def test_another_agencys_launch_answers_404_on_every_route(api):
    owner, _rocket, launch = agency_with_launch(api)
    intruder = new_agency(api)
    base = f"/api/agency/launches/{launch['id']}"
    assert api.get(base, headers=intruder).status_code == 404
    assert api.post(base + "/status", headers=intruder, json={"status": "aborted", "reason": "weather"}).status_code == 404
    assert api.get(base + "/passengers", headers=intruder).status_code == 404
    assert api.get(base + "/manifest.csv", headers=intruder).status_code == 404
    assert api.get("/api/agency/launches", headers=intruder).json()["total"] == 0
    assert api.get(base, headers=owner).json()["status"] == "scheduled"


def test_launch_routes_need_the_agency_role(api):
    _owner, _rocket, launch = agency_with_launch(api)
    _, traveler = new_traveler(api)
    base = f"/api/agency/launches/{launch['id']}"
    for path in ("/api/agency/launches", base, base + "/passengers", base + "/manifest.csv"):
        assert api.get(path, headers=traveler).status_code == 403
        assert api.get(path).status_code == 401
    assert api.post(base + "/status", headers=traveler, json={"status": "launched"}).status_code == 403
