"""The agency's own profile. The Agency row is linked to the sign-in account by user_id and is
created on first use, named after the account."""
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, select

from services.core.db import read_session, unit_of_work
from services.core.models.agency import Agency, AgencyPublic, AgencyUpdate
from services.core.models.launch import Launch
from services.agency.events import AgencyCreated, AgencyProfileUpdated
from services.kernel import outbox
from services.auth import normalize_email
from services.kernel.actor import Actor
from services.kernel.errors import Conflict
from services.kernel.validation import parse

# What an agency must fill in before it may schedule launches, with the words shown for each.
REQUIRED_TO_SCHEDULE = {"tax_id": "tax id", "legal_address": "legal address"}


def missing_for_scheduling(agency: Agency) -> list[str]:
    return [f for f in REQUIRED_TO_SCHEDULE if not getattr(agency, f)]


def require_can_schedule(agency: Agency) -> None:
    missing = missing_for_scheduling(agency)
    if missing:
        words = " and ".join(REQUIRED_TO_SCHEDULE[f] for f in missing)
        raise Conflict(f"Add your agency's {words} in your profile before scheduling launches: "
                       "invoices need them.", field=missing[0], code="profile_incomplete", missing=missing)


def public(agency: Agency) -> AgencyPublic:
    missing = missing_for_scheduling(agency)
    return AgencyPublic(**agency.model_dump(exclude={"user_id", "created_at"}), can_schedule=not missing, missing=missing)


def agency_for(session: Session, actor: Actor, *, lock: bool = False) -> Agency:
    """The acting agency's row, created on first use. Two first requests at once cannot make two
    rows: the insert skips a conflict on the unique user_id and both then read the same row."""
    actor.require("agency")
    query = select(Agency).where(Agency.user_id == actor.user_id)
    agency = session.exec(query.with_for_update() if lock else query).first()
    if agency is not None:
        return agency
    created = session.execute(
        insert(Agency).values(user_id=actor.user_id, name=(actor.name or actor.email)[:120])
        .on_conflict_do_nothing(index_elements=["user_id"]).returning(Agency.id)
    ).first()
    agency = session.exec(query.with_for_update() if lock else query).one()
    if created is not None:
        outbox.record(session, AgencyCreated(agency_id=agency.id), actor)
    return agency


def agency_id_for(actor: Actor) -> int:
    """For reads: the agency id, creating the row (in its own transaction) only the first time."""
    actor.require("agency")
    with read_session() as session:
        agency_id = session.exec(select(Agency.id).where(Agency.user_id == actor.user_id)).first()
    if agency_id is not None:
        return agency_id
    with unit_of_work() as session:
        return agency_for(session, actor).id


def get_profile(actor: Actor) -> AgencyPublic:
    agency_id = agency_id_for(actor)
    with read_session() as session:
        return public(session.get(Agency, agency_id))


def update_profile(actor: Actor, data: AgencyUpdate | dict) -> AgencyPublic:
    actor.require("agency")  # before parsing: a wrong role learns nothing about the body
    data = parse(AgencyUpdate, data)
    if data.contact_email:
        data.contact_email = normalize_email(data.contact_email, field="contact_email")
    with unit_of_work() as session:
        agency = agency_for(session, actor, lock=True)
        changes = {k: v for k, v in data.model_dump().items() if getattr(agency, k) != v}
        for name, value in changes.items():
            setattr(agency, name, value)
        session.add(agency)
        launch_ids: list[int] = []
        if "name" in changes:
            # Launch cards show the agency name: bump each launch so the read model takes it.
            launch_ids = list(session.execute(
                update(Launch).where(Launch.agency_id == agency.id).values(version=Launch.version + 1)
                .returning(Launch.id)).scalars())
        outbox.record(session, AgencyProfileUpdated(agency_id=agency.id, fields=sorted(changes), launch_ids=launch_ids), actor)
        result = public(agency)
    return result
