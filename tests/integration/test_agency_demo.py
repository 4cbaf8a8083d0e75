"""The demo agencies: complete profiles and fleets, seeded once however often the seeder runs."""
from astrobookings.dev import demo
from astrobookings.dev.demo_agency import AGENCIES, seed_agencies
from tests.helpers import demo_login


def test_demo_agency_seeder_is_idempotent(api):
    demo.seed_accounts()
    seed_agencies()
    made = seed_agencies()
    assert set(made) == set(AGENCIES) and len(AGENCIES) >= 3
    headers = demo_login(api, "agency@example.com")
    assert api.get("/api/agency/profile", headers=headers).json()["can_schedule"] is True
    rockets = api.get("/api/agency/rockets", headers=headers).json()
    assert rockets["total"] == 3 and {r["range"] for r in rockets["items"]} == {"suborbital", "low_earth_orbit", "interplanetary"}
    for email, details, fleet in AGENCIES.values():
        other = demo_login(api, email)
        assert api.get("/api/agency/profile", headers=other).json()["name"] == details["name"]
        assert api.get("/api/agency/rockets", headers=other).json()["total"] == len(fleet)
