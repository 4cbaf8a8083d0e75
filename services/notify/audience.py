"""Who hears what: each event becomes the drafts of its notifications (recipient, kind, what the
template needs). Pure: the facts come from a `Facts` reader (services/notify/facts.py reads the
stores; unit tests pass their own), so the rules can be read and tested in one place.

    traveler  booking confirmed (receipt PDF and calendar event attached), booking cancelled,
              refund paid, launch delayed, aborted, launched, failed (every traveler with a paid
              booking on it, once each); a delay updates, a cancellation or an abort withdraws
              the calendar event of each booking (services/booking/calendar.py)
    agency    each booking and cancellation on its launches (seats left), a receipt of each
              status change it made, invoice issued (PDF attached), payment received, overdue
    VIPs      a new launch scheduled (marketing: not to those who unsubscribed)
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from services.core.formatting import INVOICE_KIND_WORDS, human_date, status_word, usd
from services.booking import LaunchEvent, calendar_attachment, refund_policy
from services.kernel.events import Envelope


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: str | None = None
    name: str = ""


@dataclass(frozen=True)
class LaunchInfo:
    id: int
    name: str
    slug: str
    date: datetime
    seats_offered: int
    seats_sold: int
    agency_id: int
    place: str = ""  # the spaceport, in words


@dataclass(frozen=True)
class BookingInfo:
    id: int
    launch_id: int
    traveler: Recipient
    seats: int
    amount_cents: int
    passengers: list[str] = field(default_factory=list)


@dataclass
class Draft:
    to: Recipient
    kind: str
    context: dict
    marketing: bool = False
    attach_invoice_id: int | None = None
    attach_receipt_booking_id: int | None = None
    attachments: list[dict] = field(default_factory=list)  # made here already (calendar events)


class Facts(Protocol):
    def launch(self, launch_id: int) -> LaunchInfo | None: ...
    def booking(self, booking_id: int) -> BookingInfo | None: ...
    def travelers_of(self, launch_id: int) -> list[Recipient]: ...
    def bookings_on(self, launch_id: int) -> list[BookingInfo]: ...
    def agency(self, agency_id: int) -> Recipient | None: ...
    def vips(self) -> list[Recipient]: ...


def launch_context(launch: LaunchInfo, base_url: str) -> dict:
    return {"name": launch.name, "date": human_date(launch.date), "url": f"{base_url.rstrip('/')}/launches/{launch.slug}"}


def booking_url(base_url: str, booking_id: int) -> str:
    return f"{base_url.rstrip('/')}/traveler/bookings/{booking_id}/receipt"


def drafts(envelope: Envelope, facts: Facts, base_url: str,
           mail_from: str = "AstroBookings <no-reply@astrobookings.example>") -> list[Draft]:
    rule = _RULES.get(envelope.event_type)
    return _once_each(rule(_Change(envelope, mail_from), facts, base_url)) if rule else []


class _Change:
    """The envelope, and the calendar event of a booking as this change leaves it."""

    def __init__(self, envelope: Envelope, mail_from: str):
        self.event, self.created_at, self.id = envelope.event, envelope.created_at, envelope.id
        self.event_type, self.actor_role, self.mail_from = envelope.event_type, envelope.actor_role, mail_from

    def calendar(self, booking: BookingInfo, launch: LaunchInfo, base: str, start: datetime | None = None,
                 cancelled: bool = False) -> list[dict]:
        # SEQUENCE 0 when booked; after that the outbox id of the change, which only grows.
        first = self.event_type == "booking.confirmed"
        event = LaunchEvent(booking.id, launch.name, start or launch.date, launch.place,
                                     booking_url(base, booking.id), booking.traveler.email, self.mail_from,
                                     0 if first else self.id, cancelled)
        return [calendar_attachment(event, self.created_at)]


def _once_each(found: list[Draft]) -> list[Draft]:
    """One notification per recipient and kind, even if a traveler holds two bookings on a launch
    (that one email carries the calendar events of both)."""
    kept: dict[tuple[str, str], Draft] = {}
    for d in found:
        k = (d.kind, d.to.email.lower())
        if k in kept:
            kept[k].attachments.extend(a for a in d.attachments if a not in kept[k].attachments)
        else:
            kept[k] = d
    return list(kept.values())


def _booking_confirmed(env, facts, base):
    e = env.event
    booking, launch = facts.booking(e.booking_id), facts.launch(e.launch_id)
    if booking is None or launch is None:
        return []
    lc = launch_context(launch, base)
    out = [Draft(booking.traveler, "booking_confirmed", {
        "name": booking.traveler.name or booking.traveler.email, "booking_id": booking.id, "launch": lc,
        "seats": booking.seats, "passengers": booking.passengers, "amount": usd(e.amount_cents),
        "booking_url": booking_url(base, booking.id),
        # The terms as of the confirmation (the event's time): a replay writes the same email.
        "refund_terms": refund_policy(launch.date, env.created_at)},
        attach_receipt_booking_id=booking.id, attachments=env.calendar(booking, launch, base))]
    return out + _to_agency(facts, launch, "agency_booking", {
        "booking_id": booking.id, "launch": lc, "seats": e.seats, "amount": usd(e.amount_cents),
        "seats_left": launch.seats_offered - launch.seats_sold, "seats_offered": launch.seats_offered})


def _booking_cancelled(env, facts, base):
    e = env.event
    booking, launch = facts.booking(e.booking_id), facts.launch(e.launch_id)
    if booking is None or launch is None:
        return []
    lc = launch_context(launch, base)
    out = [Draft(booking.traveler, "booking_cancelled", {
        "booking_id": booking.id, "launch": lc, "refund": usd(e.refund_cents), "percent": e.refund_percent},
        attachments=env.calendar(booking, launch, base, cancelled=True))]
    return out + _to_agency(facts, launch, "agency_cancellation", {
        "booking_id": booking.id, "launch": lc, "seats": e.seats,
        "seats_left": launch.seats_offered - launch.seats_sold, "seats_offered": launch.seats_offered})


def _refund_paid(env, facts, base):
    e = env.event
    booking, launch = facts.booking(e.booking_id), facts.launch(e.launch_id)
    if booking is None or launch is None:
        return []
    return [Draft(booking.traveler, "refund_paid", {"booking_id": booking.id, "amount": usd(e.amount_cents),
                                                    "launch": launch_context(launch, base)})]


def _launch_status(env, facts, base):
    e = env.event
    launch = facts.launch(e.launch_id)
    if launch is None:
        return []
    lc = launch_context(launch, base)
    status = env.event_type.split(".", 1)[1]
    out: list[Draft] = []
    if status == "aborted":
        # The abort already cancelled the bookings: its event names them, each refunded in full.
        for booking_id in e.cancelled_booking_ids:
            booking = facts.booking(booking_id)
            if booking is not None:
                out.append(Draft(booking.traveler, "launch_aborted", {
                    "launch": lc, "reason": e.reason, "booking_id": booking.id, "refund": usd(booking.amount_cents)},
                    attachments=env.calendar(booking, launch, base, cancelled=True)))
    else:
        context = {"launch": lc, "reason": e.reason}
        events: dict[str, list[dict]] = {}
        if status == "delayed":
            new_date = _date(e.date)
            context.update(old_date=human_date(_date(e.old_date)), new_date=human_date(new_date))
            for booking in facts.bookings_on(launch.id):
                events.setdefault(booking.traveler.email.lower(), []).extend(
                    env.calendar(booking, launch, base, start=new_date))
        out = [Draft(t, f"launch_{status}", context, attachments=list(events.get(t.email.lower(), [])))
               for t in facts.travelers_of(launch.id)]
    if env.actor_role == "agency":
        out += _to_agency(facts, launch, "status_receipt", {
            "launch": lc, "from_status": status_word(e.from_status), "to_status": status_word(status),
            "reason": e.reason, "new_date": human_date(_date(e.date)) if status == "delayed" else None,
            "travelers": len(_once_each(out))})
    return out


def _launch_scheduled(env, facts, base):
    launch = facts.launch(env.event.launch_id)
    if launch is None:
        return []
    lc = launch_context(launch, base)
    return [Draft(v, "new_launch", {"launch": lc}, marketing=True) for v in facts.vips()]


def _invoice_issued(env, facts, base):
    e = env.event
    launch = facts.launch(e.launch_id)
    return _agency_only(facts, e.agency_id, "invoice_issued", {
        "number": e.number, "kind": INVOICE_KIND_WORDS.get(e.kind, e.kind), "total": usd(e.total_cents),
        "launch_name": launch.name if launch else f"launch {e.launch_id}", "attached": True},
        attach_invoice_id=e.invoice_id)


def _invoice_overdue(env, facts, base):
    e = env.event
    return _agency_only(facts, e.agency_id, "invoice_overdue",
                        {"number": e.number, "days_late": e.days_late, "due_date": e.due_date})


def _payment_recorded(env, facts, base):
    e = env.event
    return _agency_only(facts, e.agency_id, "payment_received",
                        {"number": e.number, "amount": usd(e.amount_cents), "method": e.method.replace("_", " ")})


def _to_agency(facts, launch: LaunchInfo, kind: str, context: dict) -> list[Draft]:
    return _agency_only(facts, launch.agency_id, kind, context)


def _agency_only(facts, agency_id: int, kind: str, context: dict, attach_invoice_id: int | None = None) -> list[Draft]:
    agency = facts.agency(agency_id)
    return [Draft(agency, kind, context, attach_invoice_id=attach_invoice_id)] if agency else []


def _date(value) -> datetime | None:
    if isinstance(value, datetime) or value is None:
        return value
    return datetime.fromisoformat(str(value))


_RULES = {
    "booking.confirmed": _booking_confirmed,
    "booking.cancelled": _booking_cancelled,
    "refund.paid": _refund_paid,
    "launch.delayed": _launch_status,
    "launch.aborted": _launch_status,
    "launch.launched": _launch_status,
    "launch.failed": _launch_status,
    "launch.scheduled": _launch_scheduled,
    "invoice.issued": _invoice_issued,
    "invoice.overdue": _invoice_overdue,
    "payment.recorded": _payment_recorded,
}
EVENT_TYPES = tuple(_RULES)
