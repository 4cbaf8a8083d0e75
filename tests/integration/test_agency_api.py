"""Agency profile: created on first use, completed before scheduling, visible only to its owner."""
from tests.agency_helpers import PROFILE, add_rocket, future, new_agency
from tests.helpers import new_account, new_traveler


def test_profile_is_created_on_first_use_named_after_the_account(api):
    headers = new_agency(api, complete=False)
    profile = api.get("/api/agency/profile", headers=headers).json()
    assert profile["name"] == "Test agency"
    assert profile["can_schedule"] is False and profile["missing"] == ["tax_id", "legal_address"]
    assert api.get("/api/agency/profile", headers=headers).json()["id"] == profile["id"]


def test_profile_update_round_trips(api):
    headers = new_agency(api, complete=False)
    saved = api.put("/api/agency/profile", headers=headers, json=PROFILE)
    assert saved.status_code == 200
    assert saved.json()["can_schedule"] is True and saved.json()["missing"] == []
    again = api.get("/api/agency/profile", headers=headers).json()
    assert {k: again[k] for k in PROFILE} == PROFILE


def test_incomplete_profile_cannot_schedule_and_is_told_why(api):
    headers = new_agency(api, complete=False)
    rocket = add_rocket(api, headers)
    refused = api.post("/api/agency/launches", headers=headers, json={
        "rocket_id": rocket["id"], "spaceport": "kourou", "destination": "moon", "date": future(), "price_cents": 100})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "profile_incomplete" and error["field"] == "tax_id"
    assert "tax id and legal address" in error["message"]


def test_profile_input_errors_name_the_field(api):
    headers = new_agency(api, complete=False)
    for body, field in [({**PROFILE, "name": "X"}, "name"), ({**PROFILE, "contact_email": "nope"}, "contact_email"),
                        ({**PROFILE, "tax_id": "x" * 41}, "tax_id"), ({"tax_id": "VAT-1"}, "name")]:
        response = api.put("/api/agency/profile", headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["field"] == field
    assert "Name must be at least 2 characters" in api.put("/api/agency/profile", headers=headers,
                                                           json={**PROFILE, "name": "X"}).json()["error"]["message"]


def test_blank_optional_fields_clear_them(api):
    headers = new_agency(api)
    cleared = api.put("/api/agency/profile", headers=headers, json={**PROFILE, "tax_id": "  ", "contact_phone": ""}).json()
    assert cleared["tax_id"] is None and cleared["contact_phone"] is None and cleared["can_schedule"] is False


def test_profiles_are_per_agency_and_agency_role_only(api):
    first, second = new_agency(api), new_agency(api, complete=False)
    api.put("/api/agency/profile", headers=second, json={**PROFILE, "name": "Second Agency"})
    assert api.get("/api/agency/profile", headers=first).json()["name"] == PROFILE["name"]
    assert api.get("/api/agency/profile", headers=second).json()["name"] == "Second Agency"
    _, traveler = new_traveler(api)
    _, finance = new_account(api, "finance")
    for headers in (traveler, finance):
        assert api.get("/api/agency/profile", headers=headers).status_code == 403
        assert api.put("/api/agency/profile", headers=headers, json=PROFILE).status_code == 403
    assert api.get("/api/agency/profile").status_code == 401
