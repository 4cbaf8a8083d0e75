"""The demo agency's content: complete profile, rockets and future launches, seeded once."""
from astrobookings.dev import demo
from tests.helpers import demo_login


def test_demo_agency_seeder_is_idempotent(api):
    ids = demo.seed_accounts()
    demo.seed_agency(ids)
    demo.seed_agency(ids)
    headers = demo_login(api, "agency@example.com")
    assert api.get("/api/agency/profile", headers=headers).json()["can_schedule"] is True
    assert api.get("/api/agency/rockets", headers=headers).json()["total"] == 3
    launches = api.get("/api/agency/launches", headers=headers).json()
    assert launches["total"] == 6 and {l["status"] for l in launches["items"]} == {"scheduled"}
    assert {l["destination"] for l in launches["items"]} == {"edge-of-space", "space-station", "moon", "low-earth-orbit", "mars"}
