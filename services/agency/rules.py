"""Pure launch rules: the status moves, slugs, and what a new launch must satisfy.

No I/O here, so these are unit-tested directly.
"""
import re
import unicodedata
from datetime import datetime, timezone

from services.core.models.agency import RocketRange
from services.core.models.launch import AbortReason, LaunchStatus
from services.core.models.reference import (  # noqa: F401  (the agency's vocabulary, re-exported)
    DESTINATION_NAMES, DESTINATIONS, OPEN_STATUSES, SPACEPORTS, TERMINAL_STATUSES, as_utc, destinations_for, range_of,
)
from services.kernel.errors import Conflict, ValidationFailed

# Status moves. Terminal statuses have no way out; a delayed launch may be delayed again.
_MOVES: dict[LaunchStatus, tuple[LaunchStatus, ...]] = {
    LaunchStatus.scheduled: (LaunchStatus.delayed, LaunchStatus.aborted, LaunchStatus.launched, LaunchStatus.failed),
    LaunchStatus.delayed: (LaunchStatus.delayed, LaunchStatus.aborted, LaunchStatus.launched, LaunchStatus.failed),
}
ABORT_REASONS = [r.value for r in AbortReason]
# An outcome ends the travelers' right to cancel and be refunded: it is a fact of the launch date,
# so it can be recorded only from that date on. Delay and abort stay possible before.
OUTCOMES = (LaunchStatus.launched, LaunchStatus.failed)


def _due(launch_date: datetime | None, now: datetime | None) -> bool:
    return launch_date is None or as_utc(launch_date) <= (now or datetime.now(timezone.utc))


def allowed_moves(current: LaunchStatus | str, launch_date: datetime | None = None,
                  now: datetime | None = None) -> list[str]:
    """The moves the agency may make now; outcomes only once the launch date has come."""
    return [s.value for s in _MOVES.get(LaunchStatus(current), ()) if s not in OUTCOMES or _due(launch_date, now)]


def check_transition(current: LaunchStatus | str, target: LaunchStatus | str, *, current_date: datetime,
                     new_date: datetime | None = None, reason: str | None = None,
                     now: datetime | None = None) -> None:
    """Refuse a move the lifecycle does not allow (Conflict) or a move with bad data (ValidationFailed)."""
    current, target = LaunchStatus(current), LaunchStatus(target)
    if target not in _MOVES.get(current, ()):
        if current in TERMINAL_STATUSES:
            raise Conflict(f"This launch is already {current.value}; its status can no longer change.",
                           field="status", code="launch_closed", current_status=current.value)
        raise Conflict(f"A {current.value} launch cannot become {target.value}.", field="status",
                       code="transition_refused", current_status=current.value)
    if target in OUTCOMES and not _due(current_date, now):
        raise Conflict(f"A launch can be marked {target.value} only from its launch date on "
                       f"({as_utc(current_date):%Y-%m-%d %H:%M} UTC); delay or abort it before then.",
                       field="status", code="launch_not_due", current_status=current.value)
    if target is LaunchStatus.delayed:
        if new_date is None:
            raise ValidationFailed("Date is required to delay a launch.", field="date")
        new_date = as_utc(new_date)
        if new_date <= as_utc(current_date):
            raise ValidationFailed(f"Date must be later than the current launch date ({as_utc(current_date):%Y-%m-%d %H:%M} UTC).",
                                   field="date")
        if new_date <= (now or datetime.now(timezone.utc)):
            raise ValidationFailed("Date must be in the future.", field="date")
    if target is LaunchStatus.aborted and reason not in ABORT_REASONS:
        raise ValidationFailed(f"Reason must be one of: {', '.join(ABORT_REASONS)}.", field="reason")


def slugify(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", normalized.lower()).strip("-")


def launch_slug(date: datetime, rocket_name: str, spaceport: str, destination: str) -> str:
    """A readable, SEO-friendly name: 2027-03-14-starhopper-kourou-to-moon."""
    parts = [as_utc(date).strftime("%Y-%m-%d"), slugify(rocket_name) or "rocket", spaceport, "to", destination]
    return "-".join(parts)[:150]


def next_free_slug(base: str, taken: set[str]) -> str:
    """`base`, or base-2, base-3 ... the first one not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def check_schedule(rocket_range: RocketRange | str, spaceport: str, destination: str, date: datetime,
                   now: datetime | None = None) -> None:
    """What a new launch must satisfy beyond its field types."""
    if spaceport not in SPACEPORTS:
        raise ValidationFailed(f"Spaceport must be one of the known spaceports ({', '.join(SPACEPORTS)}).", field="spaceport")
    if destination not in DESTINATIONS:
        raise ValidationFailed(f"Destination must be one of: {', '.join(DESTINATIONS)}.", field="destination")
    reachable = destinations_for(rocket_range)
    if destination not in reachable:
        raise ValidationFailed(f"Destination {destination} is beyond this rocket's range "
                               f"({RocketRange(rocket_range).value}); it reaches {', '.join(reachable)}.", field="destination")
    if as_utc(date) <= (now or datetime.now(timezone.utc)):
        raise ValidationFailed("Date must be in the future.", field="date")
