"""Demo agencies and their year of launches: agency@example.com (Orbital Dynamics) and three more,
each with a complete profile and a fleet; launches over the last twelve months and the next
twelve, in every status. Made through the agency services, with the clock the rules take set to
the moment each step happened, so the outbox projects them like real ones."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from astrobookings.dev.demo_accounts import ensure_account
from services.agency import launches, profile as agencies, rockets
from services.kernel.actor import Actor

AGENCY_EMAIL = "agency@example.com"
# code: (account email, profile, fleet as (rocket, seats, range))
AGENCIES = {
    "OD": (AGENCY_EMAIL, {"name": "Orbital Dynamics", "tax_id": "US-EIN 84-2026001",
                          "legal_address": "100 Launch Complex Rd, Cape Canaveral, FL 32920, USA",
                          "contact_email": "ops@orbital-dynamics.example", "contact_phone": "+1 321 555 0142"},
           [("Starhopper", 6, "interplanetary"), ("Skylark", 4, "low_earth_orbit"), ("Pogo", 8, "suborbital")]),
    "LL": ("lunar-lines@example.com", {"name": "Lunar Lines", "tax_id": "FR-SIREN 912 026 002",
                                       "legal_address": "12 Avenue de l'Espace, 97310 Kourou, French Guiana",
                                       "contact_email": "flights@lunar-lines.example", "contact_phone": "+594 594 55 01 02"},
           [("Selene", 6, "interplanetary"), ("Tycho", 4, "low_earth_orbit")]),
    "EE": ("equator-express@example.com", {"name": "Equator Express", "tax_id": "IN-GSTIN 33AB2026E1Z5",
                                           "legal_address": "4 Satish Dhawan Rd, Sriharikota 524124, India",
                                           "contact_email": "desk@equator-express.example", "contact_phone": "+91 861 555 0303"},
           [("Kestrel", 5, "low_earth_orbit"), ("Hop", 6, "suborbital")]),
    "AS": ("aurora-suborbital@example.com", {"name": "Aurora Suborbital", "tax_id": "NZ-NZBN 9429 0526 0004",
                                             "legal_address": "1 Rocket Rd, Mahia Peninsula 4198, New Zealand",
                                             "contact_email": "hello@aurora-suborbital.example", "contact_phone": "+64 6 555 0404"},
           [("Borealis", 8, "suborbital"), ("Polaris", 4, "low_earth_orbit")]),
}


@dataclass(frozen=True)
class PlannedLaunch:
    """One launch of the demo year: `days` from today, and what becomes of it. `invoice` says how
    its fee invoice is settled (see demo_finance); `delay` moves it this many days later."""
    key: str
    agency: str
    rocket: str
    spaceport: str
    destination: str
    days: float
    usd: int
    outcome: str  # launched, failed, aborted, scheduled, delayed, sold_out
    invoice: str = "paid"
    delay: int = 0
    lead_days: int = 150  # scheduled this long before its (first) date
    extras: dict = field(default_factory=dict)


P = PlannedLaunch
PAST = [
    P("p01", "OD", "Pogo", "spaceport-america", "edge-of-space", -352, 250_000, "launched"),
    P("p02", "LL", "Tycho", "kennedy", "space-station", -338, 1_400_000, "launched"),
    P("p03", "EE", "Hop", "kourou", "edge-of-space", -325, 220_000, "launched"),
    P("p04", "AS", "Borealis", "mahia", "edge-of-space", -311, 240_000, "launched"),
    P("p05", "OD", "Skylark", "kennedy", "low-earth-orbit", -297, 1_200_000, "launched"),
    P("p06", "LL", "Selene", "kourou", "moon", -283, 2_800_000, "failed"),
    P("p07", "EE", "Kestrel", "sriharikota", "space-station", -270, 1_300_000, "launched"),
    P("p08", "OD", "Starhopper", "starbase", "moon", -256, 2_900_000, "launched"),
    P("p09", "AS", "Polaris", "vandenberg", "low-earth-orbit", -242, 1_100_000, "launched"),
    P("p10", "OD", "Pogo", "spaceport-america", "edge-of-space", -228, 260_000, "aborted", extras={"reason": "weather"}),
    P("p11", "LL", "Tycho", "tanegashima", "low-earth-orbit", -214, 1_250_000, "launched"),
    P("p12", "EE", "Hop", "baikonur", "edge-of-space", -200, 230_000, "launched"),
    P("p13", "OD", "Skylark", "vandenberg", "space-station", -186, 1_500_000, "launched", invoice="corrected"),
    P("p14", "AS", "Borealis", "spaceport-america", "edge-of-space", -172, 245_000, "launched"),
    P("p15", "OD", "Starhopper", "kourou", "moon", -158, 2_950_000, "failed"),
    P("p16", "LL", "Selene", "kennedy", "space-station", -144, 1_800_000, "launched", invoice="overdue"),
    P("p17", "EE", "Kestrel", "kourou", "low-earth-orbit", -130, 1_200_000, "launched"),
    P("p18", "OD", "Pogo", "mahia", "edge-of-space", -116, 270_000, "launched"),
    P("p19", "AS", "Polaris", "vandenberg", "space-station", -102, 1_300_000, "launched", invoice="overdue"),
    P("p20", "OD", "Skylark", "kennedy", "low-earth-orbit", -88, 1_250_000, "launched", delay=7),
    P("p21", "LL", "Tycho", "kennedy", "space-station", -74, 1_450_000, "launched", invoice="overdue_partial"),
    P("p22", "EE", "Hop", "kourou", "edge-of-space", -60, 235_000, "aborted", extras={"reason": "technical"}),
    P("p23", "OD", "Starhopper", "starbase", "moon", -46, 2_950_000, "launched", invoice="overdue"),
    P("p24", "AS", "Borealis", "mahia", "edge-of-space", -32, 255_000, "launched", invoice="paid_by_card"),
    P("p25", "LL", "Selene", "kourou", "moon", -19, 2_850_000, "launched", invoice="partial"),
    P("p26", "OD", "Pogo", "spaceport-america", "edge-of-space", -8, 275_000, "launched", invoice="pending"),
    P("p27", "EE", "Kestrel", "sriharikota", "space-station", -3, 1_350_000, "launched", invoice="pending"),
]
FUTURE = [
    P("f01", "OD", "Pogo", "spaceport-america", "edge-of-space", 40 / 1440, 250_000, "scheduled", lead_days=60),
    P("f02", "LL", "Tycho", "kennedy", "space-station", 9, 1_500_000, "sold_out", lead_days=90),
    P("f03", "OD", "Skylark", "vandenberg", "low-earth-orbit", 14, 1_200_000, "delayed", delay=7, lead_days=90),
    P("f04", "EE", "Hop", "kourou", "edge-of-space", 35, 240_000, "scheduled", lead_days=60),
    P("f05", "OD", "Starhopper", "kourou", "moon", 52, 2_900_000, "aborted", invoice="pending",
      extras={"reason": "technical"}, lead_days=80),
    P("f06", "AS", "Polaris", "vandenberg", "space-station", 70, 1_300_000, "scheduled", lead_days=50),
    P("f07", "OD", "Skylark", "kennedy", "space-station", 95, 1_500_000, "scheduled", lead_days=60),
    P("f08", "LL", "Selene", "kennedy", "moon", 130, 2_950_000, "scheduled", lead_days=70),
    P("f09", "EE", "Kestrel", "sriharikota", "low-earth-orbit", 160, 1_250_000, "scheduled", lead_days=60),
    P("f10", "OD", "Starhopper", "starbase", "mars", 200, 2_990_000, "scheduled", lead_days=220),
    P("f11", "AS", "Borealis", "mahia", "edge-of-space", 250, 260_000, "scheduled", lead_days=30),
    P("f12", "OD", "Pogo", "mahia", "edge-of-space", 300, 275_000, "scheduled", lead_days=20),
    P("f13", "LL", "Tycho", "tanegashima", "low-earth-orbit", 345, 1_300_000, "scheduled", lead_days=20),
    P("f14", "OD", "Starhopper", "kourou", "moon", 400, 2_990_000, "scheduled", lead_days=420),
]
PLAN = PAST + FUTURE


def agency_actor(user_id: str, code: str, entry_point: str = "web") -> Actor:
    email, details, _fleet = AGENCIES[code]
    return Actor(user_id=user_id, email=email, role="agency", name=details["name"], entry_point=entry_point)


def seed_agencies() -> dict[str, tuple[Actor, dict[str, int]]]:
    """Every demo agency's account, profile and fleet; returns, per agency code, its actor and
    its rocket ids by name. Rockets already there (by name) are kept."""
    made = {}
    for code, (email, details, fleet) in AGENCIES.items():
        user_id = ensure_account(email, details["name"], "agency")
        actor = agency_actor(user_id, code, entry_point="web" if code == "OD" else "api")
        agencies.update_profile(actor, details)
        existing = {r.name: r.id for r in rockets.list_rockets(actor, per_page=100)[0]}
        made[code] = (actor, {name: existing.get(name) or rockets.create_rocket(
            actor, {"name": name, "capacity": seats, "range": reach}).id for name, seats, reach in fleet})
    return made


def first_date(plan: PlannedLaunch, today: datetime) -> datetime:
    """The date it was scheduled for (before any delay), at 14:00 UTC; the next hour's stays exact."""
    moment = today + timedelta(days=plan.days - plan.delay)
    return moment if abs(plan.days) < 1 else moment.replace(hour=14, minute=0, second=0, microsecond=0)


def schedule(actor: Actor, rocket_id: int, plan: PlannedLaunch, date: datetime, at: datetime) -> int:
    return launches.schedule_launch(actor, {"rocket_id": rocket_id, "spaceport": plan.spaceport,
                                            "destination": plan.destination, "date": date,
                                            "price_cents": plan.usd * 100}, now=at).id


def change(actor: Actor, launch_id: int, at: datetime, status: str, **extra) -> None:
    launches.change_status(actor, launch_id, {"status": status, **extra}, now=at)
