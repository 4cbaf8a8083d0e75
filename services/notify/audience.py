"""Who hears what: each event becomes the drafts of its notifications (recipient, kind, what the
template needs). Pure: the facts come from a `Facts` reader (services/notify/facts.py reads the
stores; unit tests pass their own), so the rules can be read and tested in one place.

    traveler  booking confirmed, booking cancelled, refund paid, launch delayed, aborted,
              launched, failed (every traveler with a paid booking on it, once each)
    agency    each booking and cancellation on its launches (seats left), a receipt of each
              status change it made, invoice issued (PDF attached), payment received, overdue
    VIPs      a new launch scheduled (marketing: not to those who unsubscribed)
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from astrobookings.formatting import INVOICE_KIND_WORDS, human_date, status_word, usd
from services.booking.rules import refund_policy
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


class Facts(Protocol):
    def launch(self, launch_id: int) -> LaunchInfo | None: ...
    def booking(self, booking_id: int) -> BookingInfo | None: ...
    def travelers_of(self, launch_id: int) -> list[Recipient]: ...
    def agency(self, agency_id: int) -> Recipient | None: ...
    def vips(self) -> list[Recipient]: ...


def launch_context(launch: LaunchInfo, base_url: str) -> dict:
    return {"name": launch.name, "date": human_date(launch.date), "url": f"{base_url.rstrip('/')}/launches/{launch.slug}"}


def drafts(envelope: Envelope, facts: Facts, base_url: str) -> list[Draft]:
    rule = _RULES.get(envelope.event_type)
    return _once_each(rule(envelope, facts, base_url)) if rule else []


def _once_each(found: list[Draft]) -> list[Draft]:
    """One notification per recipient and kind, even if a traveler holds two bookings on a launch."""
    seen, kept = set(), []
    for d in found:
        k = (d.kind, d.to.email.lower())
        if k not in seen:
            seen.add(k)
            kept.append(d)
    return kept


def _booking_confirmed(env, facts, base):
    e = env.event
    booking, launch = facts.booking(e.booking_id), facts.launch(e.launch_id)
    if booking is None or launch is None:
        return []
    lc = launch_context(launch, base)
    out = [Draft(booking.traveler, "booking_confirmed", {
        "name": booking.traveler.name or booking.traveler.email, "booking_id": booking.id, "launch": lc,
        "seats": booking.seats, "passengers": booking.passengers, "amount": usd(e.amount_cents),
        # The terms as of the confirmation (the event's time): a replay writes the same email.
        "refund_terms": refund_policy(launch.date, env.created_at)})]
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
        "booking_id": booking.id, "launch": lc, "refund": usd(e.refund_cents), "percent": e.refund_percent})]
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
                    "launch": lc, "reason": e.reason, "booking_id": booking.id, "refund": usd(booking.amount_cents)}))
    else:
        context = {"launch": lc, "reason": e.reason}
        if status == "delayed":
            context.update(old_date=human_date(_date(e.old_date)), new_date=human_date(_date(e.date)))
        out = [Draft(t, f"launch_{status}", context) for t in facts.travelers_of(launch.id)]
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
