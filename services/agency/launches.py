"""An agency's launches: schedule, read, and move through the lifecycle.

Every status change locks the launch row (SELECT ... FOR UPDATE), so two agents acting at once
are served one after the other and the second sees the first one's result.
"""
from datetime import datetime

from sqlalchemy import func, text
from sqlmodel import Session, select

from services.core.db import read_session, unit_of_work
from services.core.models.agency import Rocket, RocketPublic
from services.core.models.base import utcnow
from services.core.models.booking import Booking, BookingStatus
from services.booking import cancel_for_aborted_launch
from services.agency.events import LaunchAborted, LaunchDelayed, LaunchFailed, LaunchLaunched, LaunchScheduled
from services.core.models.launch import (
    Launch, LaunchCreate, LaunchDetail, LaunchPublic, LaunchStatus, LaunchStatusChange, LaunchStatusRequest,
    StatusChangePublic,
)
from services.kernel import outbox
from services.agency import rockets
from services.kernel.actor import Actor
from services.agency.profile import agency_for, agency_id_for, get_profile, require_can_schedule
from services.kernel.errors import Conflict, NotFound
from services.agency.rules import (
    DESTINATION_NAMES, OPEN_STATUSES, SPACEPORTS, allowed_moves, as_utc, check_schedule, check_transition, launch_slug,
    next_free_slug,
)
from services.kernel.validation import parse


def not_found() -> NotFound:
    return NotFound("No launch with this id among your launches.", field="id")


def public(launch: Launch, rocket: Rocket | None = None) -> LaunchPublic:
    return LaunchPublic(
        **launch.model_dump(include={"id", "agency_id", "rocket_id", "spaceport", "destination", "date", "price_cents",
                                     "slug", "status", "seats_offered", "seats_sold", "version", "abort_reason"}),
        seats_free=max(launch.seats_offered - launch.seats_sold, 0),
        rocket_name=rocket.name if rocket else "", rocket_range=rocket.range.value if rocket else "",
        spaceport_name=SPACEPORTS.get(launch.spaceport, launch.spaceport),
        destination_name=DESTINATION_NAMES.get(launch.destination, launch.destination),
    )


def owned(session: Session, agency_id: int, launch_id: int, *, lock: bool = False) -> Launch:
    query = select(Launch).where(Launch.id == launch_id, Launch.agency_id == agency_id)
    launch = session.exec(query.with_for_update() if lock else query).first()
    if launch is None:
        raise not_found()
    return launch


def _unique_slug(session: Session, base: str) -> str:
    # Two launches with the same name scheduled at once would pick the same suffix: a
    # transaction-scoped advisory lock on the name makes them take turns.
    session.execute(text("select pg_advisory_xact_lock(hashtext(:base))"), {"base": base})
    taken = set(session.exec(select(Launch.slug).where(Launch.slug.startswith(base))).all())
    return next_free_slug(base, taken)


def schedule_launch(actor: Actor, data: LaunchCreate | dict, *, now: datetime | None = None) -> LaunchPublic:
    """`now` is the clock the rules read (demo history is scheduled in the past); default: now."""
    actor.require("agency")  # before parsing: a wrong role learns nothing about the body
    data = parse(LaunchCreate, data)
    with unit_of_work() as session:
        agency = agency_for(session, actor)
        require_can_schedule(agency)
        # FOR SHARE: the rocket cannot be deleted or resized while this launch is being scheduled.
        rocket = session.exec(select(Rocket).where(Rocket.id == data.rocket_id, Rocket.agency_id == agency.id)
                              .with_for_update(read=True)).first()
        if rocket is None:
            raise NotFound("No rocket with this id among your rockets.", field="rocket_id")
        check_schedule(rocket.range, data.spaceport, data.destination, data.date, now=now)
        date = as_utc(data.date)
        launch = Launch(agency_id=agency.id, rocket_id=rocket.id, spaceport=data.spaceport, destination=data.destination,
                        date=date, price_cents=data.price_cents, seats_offered=rocket.capacity,
                        slug=_unique_slug(session, launch_slug(date, rocket.name, data.spaceport, data.destination)))
        if now is not None:
            launch.created_at = launch.updated_at = now
        session.add(launch)
        session.flush()
        outbox.record(session, LaunchScheduled(launch_id=launch.id, agency_id=agency.id, slug=launch.slug,
                                               date=launch.date.isoformat(), destination=launch.destination,
                                               spaceport=launch.spaceport), actor, version=launch.version)
        result = public(launch, rocket)
    return result


_STATUS_EVENTS = {LaunchStatus.delayed: LaunchDelayed, LaunchStatus.aborted: LaunchAborted,
                  LaunchStatus.launched: LaunchLaunched, LaunchStatus.failed: LaunchFailed}


def change_status(actor: Actor, launch_id: int, data: LaunchStatusRequest | dict, *,
                  now: datetime | None = None) -> LaunchPublic:
    actor.require("agency")  # before parsing: a wrong role learns nothing about the body
    data = parse(LaunchStatusRequest, data)
    with unit_of_work() as session:
        agency = agency_for(session, actor)
        launch = owned(session, agency.id, launch_id, lock=True)
        if data.version is not None and data.version != launch.version:
            raise Conflict(f"This launch changed meanwhile (it is now {launch.status.value}). Reload and try again.",
                           field="version", code="stale_version", current_status=launch.status.value)
        check_transition(launch.status, data.status, current_date=launch.date, new_date=data.date, reason=data.reason,
                         now=now)
        previous = launch.status
        details: dict = {"launch_id": launch.id, "agency_id": agency.id, "slug": launch.slug,
                         "from_status": previous.value, "reason": data.reason}
        if data.status is LaunchStatus.delayed:
            details["old_date"], launch.date = launch.date.isoformat(), as_utc(data.date)
            details["date"] = launch.date.isoformat()
        if data.status is LaunchStatus.aborted:
            launch.abort_reason = data.reason
            details.update(_cancel_bookings(session, launch, now))
        launch.status = data.status
        launch.version += 1
        launch.updated_at = now or utcnow()
        session.add(launch)
        session.add(LaunchStatusChange(launch_id=launch.id, from_status=previous, to_status=data.status,
                                       reason=data.reason, new_date=launch.date if data.status is LaunchStatus.delayed else None,
                                       actor_email=actor.email, at=now or utcnow()))
        outbox.record(session, _STATUS_EVENTS[data.status](**details), actor, version=launch.version)
        rocket = session.get(Rocket, launch.rocket_id)
        result = public(launch, rocket)
    return result


def _cancel_bookings(session: Session, launch: Launch, now: datetime | None = None) -> dict:
    """An aborted launch cancels every booking in full and releases every hold, in the abort's
    transaction. No money moves here: the refunds are pending rows, paid by the refunds consumer
    once this commits, so no gateway call ever runs while the launch row is locked."""
    outcome = cancel_for_aborted_launch(session, launch.id, now=now)
    launch.seats_sold = max(launch.seats_sold - outcome.seats_freed, 0)
    return {"cancelled_booking_ids": outcome.cancelled_booking_ids, "refund_ids": outcome.refund_ids,
            "released_booking_ids": outcome.released_booking_ids, "refunded_cents": outcome.refunded_cents}


def list_launches(actor: Actor, *, status: str | None = None, page: int = 1,
                  per_page: int = 20) -> tuple[list[LaunchPublic], int]:
    agency_id = agency_id_for(actor)
    page = max(page, 1)
    where = [Launch.agency_id == agency_id]
    if status:
        where.append(Launch.status == LaunchStatus(status))
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Launch).where(*where)).one()
        rows = session.exec(select(Launch, Rocket).join(Rocket, Rocket.id == Launch.rocket_id).where(*where)
                            .order_by(Launch.date.desc(), Launch.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return [public(launch, rocket) for launch, rocket in rows], total


def money(session: Session, launch_id: int) -> tuple[int, int, int]:
    """Paid, refunded and booking count for a launch. Paid counts every booking ever charged
    (kept or cancelled); a hold that ended unpaid was never a booking."""
    paid, refunded, count = session.exec(
        select(func.coalesce(func.sum(Booking.amount_cents), 0), func.coalesce(func.sum(Booking.refund_cents), 0),
               func.count()).where(Booking.launch_id == launch_id,
                                   Booking.status.in_([BookingStatus.confirmed, BookingStatus.cancelled]))).one()
    return int(paid), int(refunded), int(count)


def get_launch(actor: Actor, launch_id: int) -> LaunchDetail:
    agency_id = agency_id_for(actor)
    with read_session() as session:
        launch = owned(session, agency_id, launch_id)
        rocket = session.get(Rocket, launch.rocket_id)
        paid, refunded, count = money(session, launch.id)
        history = session.exec(select(LaunchStatusChange).where(LaunchStatusChange.launch_id == launch.id)
                               .order_by(LaunchStatusChange.at, LaunchStatusChange.id)).all()
    return LaunchDetail(
        **public(launch, rocket).model_dump(), paid_cents=paid, refunded_cents=refunded, collected_cents=paid - refunded,
        bookings=count, allowed_moves=allowed_moves(launch.status, launch.date),
        history=[StatusChangePublic(**h.model_dump(exclude={"id", "launch_id"})) for h in history],
    )


def upcoming(actor: Actor, *, limit: int = 12, now: datetime | None = None) -> list[LaunchPublic]:
    """Open launches still ahead, soonest first: what the dashboard charts."""
    agency_id = agency_id_for(actor)
    with read_session() as session:
        rows = session.exec(select(Launch, Rocket).join(Rocket, Rocket.id == Launch.rocket_id)
                            .where(Launch.agency_id == agency_id, Launch.status.in_(OPEN_STATUSES),
                                   Launch.date > (now or utcnow()))
                            .order_by(Launch.date, Launch.id).limit(limit)).all()
    return [public(launch, rocket) for launch, rocket in rows]


def schedule_options(actor: Actor) -> tuple[list[str], list[RocketPublic]]:
    """For the scheduling form: the profile fields still missing, and the rockets to choose from."""
    items, _total = rockets.list_rockets(actor, per_page=100)
    return get_profile(actor).missing, items
