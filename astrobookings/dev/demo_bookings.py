"""Demo content for the traveler portal: vip@example.com already has two trips booked, which
makes it a VIP (six seats per launch). Booked through the booking service, after the agency
seeder has scheduled launches; fixed idempotency keys make a second run change nothing."""
from datetime import date

from sqlmodel import select

from services.core.db import read_session
from services.core.logs import get_logger
from services.core.models.launch import Launch, LaunchStatus
from services.core.models.base import utcnow
from services.booking import bookings
from services.kernel.actor import Actor
from services.kernel.payments import APPROVE_CARD

VIP_EMAIL = "vip@example.com"
_log = get_logger("demo")


def seed_vip_trips(ids: dict[str, str]) -> None:
    user_id = ids.get(VIP_EMAIL)
    if not user_id:
        return
    with read_session() as session:
        launch_ids = session.exec(select(Launch.id).where(
            Launch.status.in_([LaunchStatus.scheduled, LaunchStatus.delayed]), Launch.date > utcnow(),
            Launch.seats_sold < Launch.seats_offered).order_by(Launch.date, Launch.id).limit(2)).all()
    actor = Actor(user_id=user_id, email=VIP_EMAIL, role="traveler", name="Vera VIP", entry_point="job")
    passenger = {"name": "Vera VIP", "email": VIP_EMAIL, "phone": "+1 555 0100", "birth_date": date(1980, 1, 15)}
    for n, launch_id in enumerate(launch_ids, start=1):
        bookings.create_booking(actor, {"launch_id": launch_id, "passengers": [passenger],
                                        "payment": {"card_number": APPROVE_CARD}}, idempotency_key=f"demo-vip-trip-{n}")
    _log.info("demo VIP trips ready", extra={"fields": {"trips": len(launch_ids)}})
