"""Pure finance rules: the fee a launch owes, invoice numbers, due dates, an invoice's status,
and the aging bucket of what is owed. No I/O: each boundary is unit-tested directly."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from services.core.formatting import usd
from services.core.models.finance import InvoiceKind, InvoiceStatus

FEE_PERCENT = Decimal("1")
RELIABLE_FEE_PERCENT = Decimal("0.8")
# An agency with this many earlier successful launches is reliable and pays the lower fee.
RELIABLE_AFTER_LAUNCHES = 2
ABORT_FEE_CENTS = 100_000  # a flat 1,000 USD for an aborted launch
DUE_AFTER_DAYS = 30
REMINDER_STEPS = (7, 14, 30)  # days late when a reminder goes out
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "over 90")
NUMBER_PREFIX = "AB"


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    unit_cents: int

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_cents


def is_reliable(earlier_successful_launches: int) -> bool:
    return earlier_successful_launches >= RELIABLE_AFTER_LAUNCHES


def fee_percent(reliable: bool) -> Decimal:
    return RELIABLE_FEE_PERCENT if reliable else FEE_PERCENT


def percent_of(cents: int, percent: Decimal) -> int:
    """`percent` % of `cents`, rounded half up to the cent (0.5 cent and above rounds up)."""
    return int((Decimal(cents) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def launch_fee_lines(status: str, net_revenue_cents: int, reliable: bool, launch_name: str) -> list[Line]:
    """What an ended launch owes: a percentage of its net revenue after `launched`, a flat fee
    after `aborted`, nothing after `failed` (an empty list)."""
    if status == "launched":
        percent = fee_percent(reliable)
        why = " (reliable agency rate)" if reliable else ""
        fee = percent_of(max(net_revenue_cents, 0), percent)
        return [Line(f"Platform fee: {percent.normalize()}% of net revenue {usd(net_revenue_cents)}{why}, {launch_name}",
                     1, fee)]
    if status == "aborted":
        return [Line(f"Platform usage fee for an aborted launch, {launch_name}", 1, ABORT_FEE_CENTS)]
    return []


def kind_for(status: str) -> InvoiceKind | None:
    return {"launched": InvoiceKind.launch_fee, "aborted": InvoiceKind.abort_fee}.get(status)


def cancellation_lines(lines: list[Line], number: str) -> list[Line]:
    return [Line(f"Cancels {number}: {line.description}"[:300], line.quantity, -line.unit_cents) for line in lines]


def invoice_number(year: int, sequence: int) -> str:
    """AB-2027-00001: the year, then the sequence within it (five digits, more when needed)."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:05d}"


def due_date(legal_date: date) -> date:
    return legal_date + timedelta(days=DUE_AFTER_DAYS)


def invoice_status(kind: str, total_cents: int, paid_cents: int, due: date, today: date, cancelled: bool) -> InvoiceStatus:
    """Follows from the payments and the dates. A cancelled invoice and the cancellation itself
    are both out of the receivables; the due date itself is still on time."""
    if cancelled or kind == InvoiceKind.cancellation.value:
        return InvoiceStatus.cancelled
    if paid_cents >= total_cents:
        return InvoiceStatus.paid
    if today > due:
        return InvoiceStatus.overdue
    return InvoiceStatus.partially_paid if paid_cents > 0 else InvoiceStatus.pending


def days_late(due: date, today: date) -> int:
    return max((today - due).days, 0)


def aging_bucket(due: date, today: date) -> str:
    late = days_late(due, today)
    if late == 0:
        return AGING_BUCKETS[0]
    if late <= 30:
        return AGING_BUCKETS[1]
    if late <= 60:
        return AGING_BUCKETS[2]
    if late <= 90:
        return AGING_BUCKETS[3]
    return AGING_BUCKETS[4]


def reminder_steps_due(due: date, today: date, already_sent: set[int]) -> list[int]:
    """The reminder steps reached by now and not yet sent."""
    late = days_late(due, today)
    return [step for step in REMINDER_STEPS if late >= step and step not in already_sent]
