"""The demo year as one timeline: every step (schedule, book, cancel, delay, abort, fly, invoice,
pay) is put at the moment it happened and run in time order, each through its service with that
moment as the clock the rules take. Time order is what keeps the history believable: invoice
numbers follow their dates, an agency becomes reliable after its second success, a traveler a
VIP after their second trip."""
from datetime import datetime, timedelta, timezone

from astrobookings.dev import demo_agency as agency
from astrobookings.dev import demo_bookings as trips
from astrobookings.dev import demo_finance as finance
from astrobookings.dev import demo_ops as ops
from services.core.logs import get_logger
from services.kernel.actor import Actor

_log = get_logger("demo")
# Outcomes are recorded this long after lift-off; invoices an hour later.
OUTCOME_AFTER = timedelta(hours=3)
INVOICE_AFTER = timedelta(hours=1)
DISABLED_TRAVELER = "theo.grant@example.com"


def _scheduled_at(plan, first: datetime, now: datetime) -> datetime:
    return min(first - timedelta(days=plan.lead_days), now - timedelta(days=3))


def staff(ids: dict[str, str], email: str, role: str, name: str, entry_point: str = "web") -> Actor:
    return Actor(user_id=ids[email], email=email, role=role, name=name, entry_point=entry_point)


def seed_year(ids: dict[str, str]) -> dict[str, int]:
    """Everything of the demo year; returns counts for the log."""
    now = datetime.now(timezone.utc)
    fleets = agency.seed_agencies()
    travelers = trips.seed_travelers(ids)
    fin = finance.finance_actor(ids[finance.FINANCE_EMAIL])
    capacity = {p.key: next(seats for name, seats, _r in agency.AGENCIES[p.agency][2] if name == p.rocket)
                for p in agency.PLAN}
    launch_ids: dict[str, int] = {}
    booking_ids: dict[tuple[str, str], int] = {}
    steps: list[tuple[datetime, int, object]] = []

    def at(moment: datetime, step) -> None:
        steps.append((min(moment, now), len(steps), step))

    for plan in agency.PLAN:
        actor, fleet = fleets[plan.agency]
        first = agency.first_date(plan, now)
        final = first + timedelta(days=plan.delay)
        scheduled_at = _scheduled_at(plan, first, now)
        at(scheduled_at, lambda p=plan, a=actor, r=fleet[plan.rocket], d=first, t=scheduled_at:
           launch_ids.__setitem__(p.key, agency.schedule(a, r, p, d, t)))
        if plan.delay:
            delayed_at = min(first - timedelta(days=1), now - timedelta(days=1))
            at(delayed_at, lambda p=plan, a=actor, t=delayed_at, d=final: agency.change(
                a, launch_ids[p.key], t, "delayed", date=d, reason="Range safety asked for a later window"))
        ended = final + OUTCOME_AFTER
        if plan.outcome == "aborted":
            ended = aborted_at = min(final - timedelta(days=2), now - timedelta(hours=1))
            at(aborted_at, lambda p=plan, a=actor, t=aborted_at: agency.change(
                a, launch_ids[p.key], t, "aborted", reason=p.extras["reason"]))
        if plan.outcome in ("launched", "failed"):
            flown_at = final + OUTCOME_AFTER
            at(flown_at, lambda p=plan, a=actor, t=flown_at: agency.change(a, launch_ids[p.key], t, p.outcome))
        if plan.outcome in ("launched", "aborted"):
            issued_at = ended + INVOICE_AFTER
            at(issued_at, lambda p=plan, t=issued_at: finance.issue(fin, launch_ids[p.key], t))
            invoice_of = (lambda p=plan: finance.live_invoice(launch_ids[p.key]).id)
            for when, step in finance.settle_steps(plan.invoice, fin, actor, invoice_of, issued_at, now):
                at(when, step)

    plans = {p.key: p for p in agency.PLAN}
    for n, b in enumerate(trips.plan_bookings(agency.PLAN, capacity)):
        plan = plans[b.launch]
        first = agency.first_date(plan, now)
        booked_at = _scheduled_at(plan, first, now) + timedelta(days=b.booked_days_after_schedule, hours=n % 7)
        at(booked_at, lambda b=b, n=n, t=booked_at: booking_ids.__setitem__((b.launch, b.email), trips.book(
            travelers[b.email], launch_ids[b.launch], b.seats, f"demo-{b.launch}-{n}", n, t)))
        if b.cancel_days_before_launch is not None:
            cancelled_at = first + timedelta(days=plan.delay) - timedelta(days=b.cancel_days_before_launch)
            at(cancelled_at, lambda b=b, t=cancelled_at: trips.cancel(travelers[b.email], booking_ids[(b.launch, b.email)], t))

    for _moment, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
        step()
    reminders = finance.send_reminders()
    ops.admin_steps(staff(ids, "admin@example.com", "admin", "Ada Admin", "api"), travelers[DISABLED_TRAVELER].user_id)
    ops.sync_jobs(staff(ids, "it@example.com", "it", "Ivan IT"))
    counts = {"agencies": len(fleets), "travelers": len(travelers), "launches": len(launch_ids),
              "bookings": len(booking_ids), "reminders": reminders}
    _log.info("demo year ready", extra={"fields": counts})
    return counts
