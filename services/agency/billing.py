"""What finance needs to know about a launch to invoice its agency: its outcome, its net revenue,
whether the agency is reliable, and the agency's invoicing data as it stands now."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from services.core.models.agency import Agency, Rocket
from services.core.models.launch import Launch, LaunchStatus
from services.core.models.reference import DESTINATION_NAMES
from services.agency.launches import money


@dataclass(frozen=True)
class LaunchFacts:
    launch_id: int
    agency_id: int
    status: str
    name: str
    slug: str
    date: datetime
    net_revenue_cents: int
    earlier_successful_launches: int
    buyer: dict = field(default_factory=dict)


def launch_facts(session: Session, launch_id: int) -> LaunchFacts | None:
    """Read inside the caller's transaction, so the invoice and the figures it rests on agree."""
    row = session.exec(select(Launch, Agency, Rocket).join(Agency, Agency.id == Launch.agency_id)
                       .join(Rocket, Rocket.id == Launch.rocket_id).where(Launch.id == launch_id)).first()
    if row is None:
        return None
    launch, agency, rocket = row
    paid, refunded, _count = money(session, launch.id)
    earlier = session.exec(select(func.count()).select_from(Launch).where(
        Launch.agency_id == agency.id, Launch.id != launch.id, Launch.status == LaunchStatus.launched,
        Launch.date <= launch.date)).one()
    name = f"{rocket.name} to {DESTINATION_NAMES.get(launch.destination, launch.destination)} on {launch.date:%Y-%m-%d}"
    return LaunchFacts(launch.id, agency.id, LaunchStatus(launch.status).value, name, launch.slug, launch.date,
                       paid - refunded, int(earlier), buyer_of(agency))


def buyer_of(agency: Agency) -> dict:
    return {"name": agency.name, "tax_id": agency.tax_id or "", "address": agency.legal_address or "",
            "email": agency.contact_email or ""}
