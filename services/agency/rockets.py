"""An agency's rockets. A rocket with open launches (scheduled or delayed) keeps its seats sold
and its destinations: changes that would strand travelers are refused with the reason."""
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from services.core.db import read_session, unit_of_work
from services.core.models.agency import Rocket, RocketCreate, RocketPublic, RocketUpdate
from services.core.models.base import utcnow
from services.core.models.launch import Launch
from services.agency.events import RocketCreated, RocketDeleted, RocketUpdated
from services.kernel import outbox
from services.kernel.actor import Actor
from services.agency.profile import agency_for, agency_id_for
from services.kernel.errors import Conflict, NotFound
from services.agency.rules import OPEN_STATUSES, destinations_for
from services.kernel.validation import parse


def _not_found() -> NotFound:
    return NotFound("No rocket with this id among your rockets.", field="id")


def _public(rocket: Rocket, open_launches: int = 0, launches: int = 0) -> RocketPublic:
    return RocketPublic(**rocket.model_dump(include={"id", "name", "capacity", "range"}),
                        destinations=destinations_for(rocket.range), open_launches=open_launches, launches=launches)


def _counts(session: Session, rocket_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not rocket_ids:
        return {}
    rows = session.exec(
        select(Launch.rocket_id, func.count(), func.count().filter(Launch.status.in_(OPEN_STATUSES)))
        .where(Launch.rocket_id.in_(rocket_ids)).group_by(Launch.rocket_id)
    ).all()
    return {rid: (open_, total) for rid, total, open_ in rows}


def _owned(session: Session, agency_id: int, rocket_id: int, lock: bool = False) -> Rocket:
    query = select(Rocket).where(Rocket.id == rocket_id, Rocket.agency_id == agency_id)
    rocket = session.exec(query.with_for_update() if lock else query).first()
    if rocket is None:
        raise _not_found()
    return rocket


def _name_taken(name: str) -> Conflict:
    return Conflict(f"You already have a rocket named {name}: give this one another name.",
                    field="name", code="duplicate_name")


def _check_name_free(session: Session, agency_id: int, name: str, rocket_id: int | None = None) -> None:
    """One name per rocket within an agency, ignoring case and spaces around it (the unique index
    uq_rocket_agency_name decides a race between two requests)."""
    query = select(Rocket.name).where(Rocket.agency_id == agency_id,
                                    func.lower(func.btrim(Rocket.name)) == name.strip().lower())
    if rocket_id is not None:
        query = query.where(Rocket.id != rocket_id)
    taken = session.exec(query).first()
    if taken is not None:
        raise _name_taken(taken)


def list_rockets(actor: Actor, *, page: int = 1, per_page: int = 20) -> tuple[list[RocketPublic], int]:
    agency_id = agency_id_for(actor)
    page = max(page, 1)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Rocket).where(Rocket.agency_id == agency_id)).one()
        rockets = session.exec(select(Rocket).where(Rocket.agency_id == agency_id).order_by(Rocket.name, Rocket.id)
                               .offset((page - 1) * per_page).limit(per_page)).all()
        counts = _counts(session, [r.id for r in rockets])
    return [_public(r, *counts.get(r.id, (0, 0))) for r in rockets], total


def get_rocket(actor: Actor, rocket_id: int) -> RocketPublic:
    agency_id = agency_id_for(actor)
    with read_session() as session:
        rocket = _owned(session, agency_id, rocket_id)
        return _public(rocket, *_counts(session, [rocket.id]).get(rocket.id, (0, 0)))


def create_rocket(actor: Actor, data: RocketCreate | dict) -> RocketPublic:
    actor.require("agency")  # before parsing: a wrong role learns nothing about the body
    data = parse(RocketCreate, data)
    try:
        with unit_of_work() as session:
            agency = agency_for(session, actor)
            _check_name_free(session, agency.id, data.name)
            rocket = Rocket(agency_id=agency.id, **data.model_dump())
            session.add(rocket)
            session.flush()
            outbox.record(session, RocketCreated(agency_id=agency.id, rocket_id=rocket.id, name=rocket.name,
                                                 capacity=rocket.capacity, range=getattr(rocket.range, "value", rocket.range)), actor)
    except IntegrityError as exc:
        if "uq_rocket_agency_name" in str(exc.orig):
            raise _name_taken(data.name) from None
        raise
    return _public(rocket)


def update_rocket(actor: Actor, rocket_id: int, data: RocketUpdate | dict) -> RocketPublic:
    actor.require("agency")
    data = parse(RocketUpdate, data)
    try:
        return _update_rocket(actor, rocket_id, data)
    except IntegrityError as exc:
        if "uq_rocket_agency_name" in str(exc.orig):
            raise _name_taken(data.name or "") from None
        raise


def _update_rocket(actor: Actor, rocket_id: int, data: RocketUpdate) -> RocketPublic:
    with unit_of_work() as session:
        agency = agency_for(session, actor)
        rocket = _owned(session, agency.id, rocket_id, lock=True)
        changes = {k: v for k, v in data.model_dump(exclude_none=True).items() if getattr(rocket, k) != v}
        if "name" in changes:
            _check_name_free(session, agency.id, changes["name"], rocket.id)
        # Lock the open launches too: a booking taking a seat meanwhile must not slip under a new capacity.
        open_launches = session.exec(select(Launch).where(Launch.rocket_id == rocket.id, Launch.status.in_(OPEN_STATUSES))
                                     .order_by(Launch.id).with_for_update()).all()
        _check_open_launches(open_launches, changes)
        for name, value in changes.items():
            setattr(rocket, name, value)
        session.add(rocket)
        touched = []
        if {"capacity", "name"} & changes.keys():
            # Launch cards show the rocket name and the free seats: bump each open launch.
            for launch in open_launches:
                launch.seats_offered = rocket.capacity
                launch.version += 1
                launch.updated_at = utcnow()
                session.add(launch)
                touched.append(launch.id)
        outbox.record(session, RocketUpdated(agency_id=agency.id, rocket_id=rocket.id, launch_ids=touched,
                                             changes={k: str(getattr(v, "value", v)) for k, v in changes.items()}), actor)
        result = _public(rocket, len(open_launches))
    return result


def _check_open_launches(open_launches: list[Launch], changes: dict) -> None:
    if "capacity" in changes:
        crowded = [l for l in open_launches if l.seats_sold > changes["capacity"]]
        if crowded:
            worst = max(crowded, key=lambda l: l.seats_sold)
            raise Conflict(f"Capacity cannot go below {worst.seats_sold}: launch {worst.slug} has already sold "
                           f"{worst.seats_sold} seats.", field="capacity", code="seats_sold")
    if "range" in changes:
        reachable = destinations_for(changes["range"])
        stranded = [l for l in open_launches if l.destination not in reachable]
        if stranded:
            raise Conflict(f"Range cannot shrink to {changes['range'].value}: open launch {stranded[0].slug} flies to "
                           f"{stranded[0].destination}.", field="range", code="range_in_use")


def delete_rocket(actor: Actor, rocket_id: int) -> None:
    actor.require("agency")
    with unit_of_work() as session:
        agency = agency_for(session, actor)
        rocket = _owned(session, agency.id, rocket_id, lock=True)
        open_, total = _counts(session, [rocket.id]).get(rocket.id, (0, 0))
        if open_:
            raise Conflict(f"Rocket {rocket.name} still has {open_} open launch(es) (scheduled or delayed): "
                           "abort or fly them before deleting it.", field="id", code="rocket_in_use")
        if total:
            raise Conflict(f"Rocket {rocket.name} keeps the record of {total} past launch(es) and cannot be deleted.",
                           field="id", code="rocket_has_history")
        session.delete(rocket)
        outbox.record(session, RocketDeleted(agency_id=agency.id, rocket_id=rocket_id, name=rocket.name), actor)
