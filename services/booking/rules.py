"""Pure booking rules: who may book how many seats, who may fly, what a cancellation refunds.

No I/O here, so every boundary is unit-tested directly; services/booking/bookings.py applies them
inside the transaction that holds the launch row lock.
"""
import hashlib
import json
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timezone

from services.core.formatting import human_date, usd as format_usd
from services.core.models.reference import OPEN_STATUSES, as_utc
from services.kernel.errors import Conflict, ValidationFailed
from services.kernel.validation import parse

SEAT_LIMIT = 4
VIP_SEAT_LIMIT = 6
VIP_MIN_EARLIER_TRIPS = 2
MIN_AGE = 18
MAX_AGE = 70
REFUND_BANDS = ((12, 90), (3, 70))  # (months before the launch at least, percent)
MAX_IDEMPOTENCY_KEY = 100
_OPEN = {s.value for s in OPEN_STATUSES}


def clean_idempotency_key(raw: str | None) -> str | None:
    """The client's retry key, or None when it sent none (then every request is a new booking)."""
    if raw is None or not raw.strip():
        return None
    key = raw.strip()
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ValidationFailed(f"Idempotency-Key must be at most {MAX_IDEMPOTENCY_KEY} printable characters.",
                               field="Idempotency-Key")
    return key


def order_hash(launch_id: int, passengers: list) -> str:
    """What an Idempotency-Key promises to repeat: the launch and the passengers (never the card,
    which is not stored, not even hashed). A replay with another order is refused."""
    order = {"launch_id": launch_id, "passengers": [
        {"name": p.name, "email": p.email, "phone": p.phone, "birth_date": p.birth_date.isoformat()} for p in passengers]}
    return hashlib.sha256(json.dumps(order, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def is_vip(earlier_trips: int) -> bool:
    """A traveler who already booked two trips (confirmed bookings on two other launches)."""
    return earlier_trips >= VIP_MIN_EARLIER_TRIPS


def seat_limit(vip: bool) -> int:
    return VIP_SEAT_LIMIT if vip else SEAT_LIMIT


def seats_allowed(held: int, vip: bool) -> int:
    """How many more seats this traveler may book on this launch."""
    return max(seat_limit(vip) - held, 0)


def is_ahead(status: str, launch_date: datetime, now: datetime | None = None) -> bool:
    """The launch is still to come: open (scheduled or delayed) and its date not reached."""
    return str(getattr(status, "value", status)) in _OPEN and as_utc(launch_date) > (now or datetime.now(timezone.utc))


def booking_state(status: str, launch_date: datetime, seats_free: int, now: datetime | None = None) -> str:
    """`open` (a seat can be booked now), `sold_out` (still ahead, no seat free) or `closed`.

    The one definition of "open for booking": the booking check, the read model's card, the
    catalog API, the crawler HTML and the pages all ask here."""
    if not is_ahead(status, launch_date, now):
        return "closed"
    return "open" if seats_free > 0 else "sold_out"


def is_open_for_booking(status: str, launch_date: datetime, seats_free: int, now: datetime | None = None) -> bool:
    return booking_state(status, launch_date, seats_free, now) == "open"


def check_bookable(status: str, launch_date: datetime, now: datetime) -> None:
    """Refuse a booking on a launch that is not ahead, saying why (seats are checked apart)."""
    status = str(getattr(status, "value", status))
    if status not in _OPEN:
        reason = {"aborted": "it was aborted", "launched": "it has already flown", "failed": "it has already flown"}
        raise Conflict(f"Bookings are closed for this launch: {reason.get(status, status)}.",
                       field="launch_id", code="not_bookable")
    if not is_ahead(status, launch_date, now):
        raise Conflict("Bookings are closed for this launch: its date has passed.", field="launch_id", code="not_bookable")


def check_seats(requested: int, seats_free: int, held: int, vip: bool) -> None:
    """Sold out first (that is what the traveler most needs to know), then the per-traveler limit."""
    if seats_free <= 0:
        raise Conflict("This launch is sold out.", field="passengers", code="sold_out")
    if requested > seats_free:
        seats = "seat" if seats_free == 1 else "seats"
        raise Conflict(f"Only {seats_free} {seats} left on this launch: remove passengers to book at most {seats_free}.",
                       field="passengers", code="not_enough_seats", seats_free=seats_free)
    limit = seat_limit(vip)
    if held + requested > limit:
        who = "As a VIP you" if vip else "You"
        already = f"; you already hold {held}, so you can add {max(limit - held, 0)} more" if held else ""
        raise ValidationFailed(f"{who} can book at most {limit} seats on one launch{already}.",
                               field="passengers", code="seat_limit", limit=limit, held=held)


def age_on(birth_date: date, on: date) -> int:
    """Whole years lived on `on`; someone born on 29 February turns a year older on 1 March."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def check_passenger_age(birth_date: date, launch_date: datetime, index: int) -> None:
    flight_day = launch_date.astimezone(timezone.utc).date()
    age = age_on(birth_date, flight_day)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationFailed(
            f"Passenger {index + 1} must be {MIN_AGE} to {MAX_AGE} years old on the launch date "
            f"({flight_day.isoformat()}); they would be {max(age, 0)}.",
            field=f"passengers.{index}.birth_date", code="passenger_age")


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock time `months` calendar months earlier, clamped to the month's last day."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def refund_percent(cancelled_at: datetime, launch_date: datetime) -> int:
    """90% at least a year before the launch, 70% at least three months before, else nothing."""
    tiers = refund_tiers(launch_date, cancelled_at)
    return tiers[0].percent if tiers else 0


def refund_cents(amount_cents: int, percent: int) -> int:
    # Integer cents, rounded down: a refund never exceeds its share of what was paid.
    return amount_cents * percent // 100


@dataclass(frozen=True)
class CancelQuote:
    refund_percent: int
    refund_cents: int
    seats_return_to_sale: bool
    message: str
    terms: tuple[str, ...] = ()


def cancel_quote(amount_cents: int, seats: int, cancelled_at: datetime, launch_date: datetime) -> CancelQuote:
    percent = refund_percent(cancelled_at, launch_date)
    cents = refund_cents(amount_cents, percent)
    if percent:
        message = (f"You get back {percent}% of what you paid ({format_usd(cents)}); "
                   f"your {seats} seat(s) go back on sale.")
    else:
        message = ("The launch is less than three months away: there is no refund, "
                   "and your seat(s) stay sold.")
    return CancelQuote(percent, cents, percent > 0, message, tuple(refund_policy(launch_date, cancelled_at)))


def passenger_problems(passengers: list[dict], launch_date: datetime) -> dict[str, str]:
    """Every problem with the passengers of an order, by field ("passengers.1.birth_date"), before
    any card is charged: the wizard's passenger step and the booking itself apply the same rules."""
    from services.core.models.booking import PassengerCreate  # the order's own validation

    problems: dict[str, str] = {}
    for i, raw in enumerate(passengers):
        try:
            passenger = parse(PassengerCreate, raw)
        except ValidationFailed as exc:
            errors = exc.extra.get("errors", []) or [{"field": exc.field, "message": exc.message}]
            for error in errors:
                problems.setdefault(f"passengers.{i}.{error['field']}", f"Passenger {i + 1}: {error['message']}")
            if any(e["field"] == "birth_date" for e in errors):
                continue
            passenger = PassengerCreate.model_construct(birth_date=date.fromisoformat(str(raw.get("birth_date"))[:10]))
        try:
            check_passenger_age(passenger.birth_date, launch_date, i)
        except ValidationFailed as exc:
            problems[exc.field] = exc.message
    return problems


@dataclass(frozen=True)
class RefundTier:
    percent: int
    months: int  # how long before the launch the tier ends
    until: datetime  # the last moment a cancellation still gets `percent` back


def refund_tiers(launch_date: datetime, now: datetime) -> list[RefundTier]:
    """The refund tiers still open at `now`, the most generous first; empty once nothing is refunded.

    The same deadlines `refund_percent` applies, so what the terms promise is what a cancellation pays."""
    launch, now = as_utc(launch_date), as_utc(now)
    tiers = [RefundTier(percent, months, months_before(launch, months)) for months, percent in REFUND_BANDS]
    return [t for t in tiers if now <= t.until]


def refund_policy(launch_date: datetime, now: datetime) -> list[str]:
    """The cancellation terms as a traveler reads them on `now`: what cancelling refunds today and
    until when, then the tiers still to come; tiers already passed are left out. The booking
    page, the receipt and the emails all show these lines."""
    tiers = refund_tiers(launch_date, now)
    if not tiers:
        lines = [f"Cancelling now refunds nothing: the launch is less than {REFUND_BANDS[-1][0]} months away."]
    else:
        first, *later = tiers
        lines = [f"Cancelling now refunds {first.percent}% of what you paid, until {human_date(first.until)} "
                 f"({first.months} months before the launch)."]
        lines += [f"After that, {t.percent}% until {human_date(t.until)} ({t.months} months before the launch)."
                  for t in later]
        lines.append(f"After {human_date(tiers[-1].until)}: no refund, and the seats stay sold.")
    lines.append("If the launch is aborted, every booking is refunded in full.")
    return lines
