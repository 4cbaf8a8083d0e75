"""Demo content for the agency portal: agency@example.com gets a complete profile, three rockets
and six future launches, made through the services so the outbox projects them like real ones."""
from datetime import datetime, time, timedelta, timezone

from services.core.logs import get_logger
from services.agency import profile as agencies
from services.agency import launches
from services.agency import rockets
from services.kernel.actor import Actor

AGENCY_EMAIL = "agency@example.com"
PROFILE = {"name": "Orbital Dynamics", "tax_id": "US-EIN 84-2026001", "legal_address": "100 Launch Complex Rd, Cape Canaveral, FL 32920, USA",
           "contact_email": "ops@orbital-dynamics.example", "contact_phone": "+1 321 555 0142"}
ROCKETS = [("Starhopper", 6, "interplanetary"), ("Skylark", 4, "low_earth_orbit"), ("Pogo", 8, "suborbital")]
# (rocket, spaceport, destination, days from today, price in USD)
LAUNCHES = [
    ("Pogo", "spaceport-america", "edge-of-space", 45, 250_000),
    ("Skylark", "kennedy", "space-station", 120, 1_500_000),
    ("Starhopper", "kourou", "moon", 240, 2_900_000),
    ("Skylark", "vandenberg", "low-earth-orbit", 300, 1_200_000),
    ("Pogo", "mahia", "edge-of-space", 420, 275_000),
    ("Starhopper", "starbase", "mars", 800, 2_990_000),
]
_log = get_logger("demo")


def seed_agency(ids: dict[str, str]) -> None:
    user_id = ids.get(AGENCY_EMAIL)
    if not user_id:
        return
    actor = Actor(user_id=user_id, email=AGENCY_EMAIL, role="agency", name=PROFILE["name"], entry_point="job")
    if launches.list_launches(actor, per_page=1)[1]:
        return
    agencies.update_profile(actor, PROFILE)
    existing = {r.name: r for r in rockets.list_rockets(actor, per_page=100)[0]}
    fleet = {name: existing.get(name) or rockets.create_rocket(actor, {"name": name, "capacity": seats, "range": reach})
             for name, seats, reach in ROCKETS}
    today = datetime.now(timezone.utc).date()
    for rocket, spaceport, destination, days, usd in LAUNCHES:
        date = datetime.combine(today + timedelta(days=days), time(14, 0), tzinfo=timezone.utc)
        launches.schedule_launch(actor, {"rocket_id": fleet[rocket].id, "spaceport": spaceport, "destination": destination,
                                         "date": date, "price_cents": usd * 100})
    _log.info("demo agency ready", extra={"fields": {"rockets": len(fleet), "launches": len(LAUNCHES)}})
