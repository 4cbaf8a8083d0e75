"""What an agency reads about the people and money on its launches: the passenger list, the
passenger manifest (page and CSV, at any time: the one report of a launch's bookings), and the
dashboard's occupancy totals."""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import func
from sqlmodel import select

from services.core.db import read_session
from services.core.formatting import csv_cell, usd
from services.core.models.booking import Booking, BookingStatus, Passenger
from services.core.models.launch import Launch, LaunchDetail, LaunchPublic, LaunchStatus, ManifestRow, PassengerRow
from services.agency.events import ManifestDownloaded
from services.kernel import outbox
from services.kernel.actor import Actor
from services.agency.profile import agency_id_for, get_profile
from services.agency.rules import OPEN_STATUSES
from services.agency.launches import get_launch, owned, upcoming

PAID = (BookingStatus.confirmed, BookingStatus.cancelled)


def passengers(actor: Actor, launch_id: int) -> list[PassengerRow]:
    """Everyone holding a seat (confirmed bookings), with the contact data the agency needs."""
    agency_id = agency_id_for(actor)
    with read_session() as session:
        owned(session, agency_id, launch_id)
        rows = session.exec(
            select(Passenger, Booking).join(Booking, Booking.id == Passenger.booking_id)
            .where(Booking.launch_id == launch_id, Booking.status == BookingStatus.confirmed)
            .order_by(Booking.id, Passenger.id)).all()
    return [PassengerRow(booking_id=b.id, booked_by=b.traveler_email, name=p.name, email=p.email, phone=p.phone,
                         birth_date=p.birth_date) for p, b in rows]


MANIFEST_COLUMNS = ["Booking", "Status", "Passenger", "Email", "Phone", "Birth date", "Seats in booking",
                    "Booking paid", "Booking refunded", "Refund %", "Booked by", "Booked at", "Cancelled at"]


def manifest(actor: Actor, launch_id: int) -> list[ManifestRow]:
    """Every passenger of every paid booking, cancelled ones included (marked, with their refund),
    readable at any time: the agency plans the flight before it happens."""
    agency_id = agency_id_for(actor)
    with read_session() as session:
        owned(session, agency_id, launch_id)
        return _manifest_rows(session, launch_id)


def _manifest_rows(session, launch_id: int) -> list[ManifestRow]:
    rows = session.exec(
        select(Passenger, Booking).join(Booking, Booking.id == Passenger.booking_id)
        .where(Booking.launch_id == launch_id, Booking.status.in_(PAID))
        .order_by(Booking.id, Passenger.id)).all()
    return [ManifestRow(booking_id=b.id, status=b.status.value, booked_by=b.traveler_email, name=p.name, email=p.email,
                        phone=p.phone, birth_date=p.birth_date, seats=b.seats, paid_cents=b.amount_cents,
                        refund_cents=b.refund_cents, refund_percent=b.refund_percent, booked_at=b.created_at,
                        cancelled_at=b.cancelled_at) for p, b in rows]


def manifest_csv(actor: Actor, launch_id: int, today: date | None = None) -> tuple[str, str]:
    """The manifest as a spreadsheet: (file name carrying today's date, CSV text); amounts in dollars."""
    agency_id = agency_id_for(actor)
    with read_session() as session:
        launch = owned(session, agency_id, launch_id)
        rows = _manifest_rows(session, launch_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MANIFEST_COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(v) for v in (
            r.booking_id, r.status, r.name, r.email, r.phone, r.birth_date.isoformat(), r.seats, usd(r.paid_cents),
            usd(r.refund_cents), r.refund_percent, r.booked_by, r.booked_at.isoformat(),
            r.cancelled_at.isoformat() if r.cancelled_at else "")])
    outbox.publish(ManifestDownloaded(launch_id=launch_id, rows=len(rows)), actor)
    day = (today or datetime.now(timezone.utc).date()).isoformat()
    return f"manifest-{launch.slug}-{day}.csv", out.getvalue()


@dataclass(frozen=True)
class Occupancy:
    """The dashboard: upcoming launches with seats sold/offered, and the agency's totals."""
    upcoming: list[LaunchPublic]
    open_launches: int
    seats_offered: int
    seats_sold: int
    collected_cents: int
    # Profile fields still missing before the agency may schedule (the dashboard says so).
    missing_profile: list[str]


def occupancy(actor: Actor) -> Occupancy:
    profile = get_profile(actor)
    agency_id = profile.id
    soon = upcoming(actor)
    with read_session() as session:
        open_count, offered, sold = session.exec(
            select(func.count(), func.coalesce(func.sum(Launch.seats_offered), 0), func.coalesce(func.sum(Launch.seats_sold), 0))
            .where(Launch.agency_id == agency_id, Launch.status.in_(OPEN_STATUSES))).one()
        paid, refunded = session.exec(
            select(func.coalesce(func.sum(Booking.amount_cents), 0), func.coalesce(func.sum(Booking.refund_cents), 0))
            .join(Launch, Launch.id == Booking.launch_id)
            .where(Launch.agency_id == agency_id, Booking.status.in_(PAID))).one()
    return Occupancy(soon, int(open_count), int(offered), int(sold), int(paid) - int(refunded), profile.missing)


def launch_page(actor: Actor, launch_id: int) -> tuple[LaunchDetail, list[ManifestRow]]:
    """Everything the agency's launch page shows, in one call: the launch and its manifest."""
    return get_launch(actor, launch_id), manifest(actor, launch_id)
