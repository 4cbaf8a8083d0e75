"""Demo travelers and who booked what in the demo year: 36 travelers (vip@example.com and three
more are VIPs: two or more trips each), bookings on every launch, and cancellations at each
refund tier (90, 70 and 0 percent; an aborted launch refunds in full). Booked and cancelled
through the booking service with the clock the rules take set to the moment each happened."""
from dataclasses import dataclass
from datetime import date

from astrobookings.dev.demo_accounts import ensure_account
from services.booking import bookings, cancellations
from services.kernel.actor import Actor
from services.kernel.payments import APPROVE_CARD

TRAVELER_EMAIL = "traveler@example.com"
VIP_EMAIL = "vip@example.com"
# Frequent flyers: VIPs once their second trip is booked.
VIPS = [VIP_EMAIL, "amara.okafor@example.com", "diego.ramirez@example.com", "mei.tanaka@example.com"]
_NAMES = ["Liam Becker", "Sofia Rossi", "Noah Kim", "Olivia Dubois", "Lucas Silva", "Emma Johansson", "Mateo Garcia",
          "Ava Novak", "Ethan Walsh", "Isla Murphy", "Hugo Laurent", "Zara Ahmed", "Felix Wagner", "Nora Lindqvist",
          "Omar Haddad", "Chloe Martin", "Ravi Patel", "Yuki Sato", "Elena Popescu", "Jonas Berg", "Priya Nair",
          "Tomás Costa", "Ingrid Holm", "Samuel Mensah", "Leah Cohen", "Arjun Rao", "Maya Fischer", "Theo Grant"]
# The SMTP servers the demo talks to refuse these like real ones would (astrobookings/dev/mailsink.py):
# `bounce-...` has no mailbox (the notification fails), `busy-...` says try later (it is retried).
_UNREACHABLE = [("bounce-kai.moreau@example.com", "Kai Moreau"), ("busy-lena.fischer@example.com", "Lena Fischer")]
_VIP_NAMES = {"amara.okafor@example.com": "Amara Okafor", "diego.ramirez@example.com": "Diego Ramirez",
              "mei.tanaka@example.com": "Mei Tanaka"}


def _email(name: str) -> str:
    ascii_name = name.lower().replace("á", "a").replace(" ", ".")
    return f"{ascii_name}@example.com"


REGULARS = [(_email(n), n) for n in _NAMES] + _UNREACHABLE
TRAVELERS = [(email, name) for email, name in _VIP_NAMES.items()] + REGULARS  # besides the two demo travelers


@dataclass(frozen=True)
class PlannedBooking:
    launch: str
    email: str
    seats: int
    booked_days_after_schedule: int
    cancel_days_before_launch: int | None = None  # a cancellation by the traveler, this long before


def seed_travelers(ids: dict[str, str]) -> dict[str, Actor]:
    """Every demo traveler's account (the demo password for all), as actors; entry points vary
    (the web portal and the REST API)."""
    actors = {}
    for n, (email, name) in enumerate(TRAVELERS):
        user_id = ensure_account(email, name, "traveler", phone=f"+1 555 02{n:02d}", tax_id=f"TX-DEMO-{n + 10}",
                                 address=f"{n + 2} Orbit Ave, Houston, TX")
        actors[email] = Actor(user_id=user_id, email=email, role="traveler", name=name,
                              entry_point="api" if n % 3 == 0 else "web")
    for email, name in ((TRAVELER_EMAIL, "Tess Traveler"), (VIP_EMAIL, "Vera VIP")):
        actors[email] = Actor(user_id=ids[email], email=email, role="traveler", name=name)
    return actors


def plan_bookings(launches: list, capacity: dict[str, int]) -> list[PlannedBooking]:
    """One regular traveler's only trip per launch (while they last), a VIP's on most, and the
    set pieces: the demo traveler's past trip, refund and next trips, a sold-out launch, and a
    cancellation at each refund tier."""
    planned: list[PlannedBooking] = []
    for i, launch in enumerate(launches):
        free = capacity[launch.key]
        if launch.key == "f02":  # sold out: every seat taken
            planned += [PlannedBooking("f02", REGULARS[i % len(REGULARS)][0], 2, 1), PlannedBooking("f02", VIP_EMAIL, 2, 3)]
            continue
        if i < len(REGULARS):
            seats = min(1 + i % 3, free)
            planned.append(PlannedBooking(launch.key, REGULARS[i][0], seats, 2))
            free -= seats
        vip = VIPS[i % len(VIPS)]
        if free > 0:
            planned.append(PlannedBooking(launch.key, vip, min(1 + i % 2, free), 5))
    return planned + [
        PlannedBooking("p24", TRAVELER_EMAIL, 1, 10),                                  # a trip in the past
        PlannedBooking("p18", TRAVELER_EMAIL, 2, 10, cancel_days_before_launch=100),   # 70% refund
        PlannedBooking("f01", TRAVELER_EMAIL, 1, 20),                                  # launching within the hour
        PlannedBooking("f04", TRAVELER_EMAIL, 2, 30),
        PlannedBooking("f14", "liam.becker@example.com", 2, 1, cancel_days_before_launch=405),  # 90% refund
        PlannedBooking("f10", "sofia.rossi@example.com", 1, 3, cancel_days_before_launch=198),  # 70% refund
        PlannedBooking("p23", "noah.kim@example.com", 1, 4, cancel_days_before_launch=30),      # no refund
        PlannedBooking("f05", VIP_EMAIL, 1, 8),                                        # aborted: refunded in full
        PlannedBooking("f07", "bounce-kai.moreau@example.com", 1, 6),
        PlannedBooking("f09", "busy-lena.fischer@example.com", 1, 6),
    ]


def _passengers(actor: Actor, seats: int, n: int) -> list[dict]:
    first = {"name": actor.name, "email": actor.email, "phone": "+1 555 0100",
             "birth_date": date(1965 + (n * 7) % 35, 1 + n % 12, 1 + n % 27)}
    companions = [{"name": f"{actor.name.split()[0]}'s companion {k}", "email": f"companion{k}.{actor.email}",
                   "phone": "+1 555 0101", "birth_date": date(1970 + (n + k * 5) % 30, 1 + k, 10 + k)} for k in range(1, seats)]
    return [first, *companions]


def book(actor: Actor, launch_id: int, seats: int, key: str, n: int, at) -> int:
    booking, _created = bookings.create_booking(actor, {"launch_id": launch_id, "passengers": _passengers(actor, seats, n),
                                                        "payment": {"card_number": APPROVE_CARD}},
                                                idempotency_key=key, now=at)
    return booking.id


def cancel(actor: Actor, booking_id: int, at) -> None:
    cancellations.cancel_booking(actor, booking_id, now=at)
