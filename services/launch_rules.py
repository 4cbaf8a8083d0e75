"""Pure launch rules: spaceports, what each rocket range can reach, and the status moves.

No I/O here, so these are unit-tested directly.
"""
import re
import unicodedata
from datetime import datetime, timezone

from astrobookings.models.agency import RocketRange
from astrobookings.models.launch import AbortReason, LaunchStatus
from services.errors import Conflict, ValidationFailed

SPACEPORTS: dict[str, str] = {
    "kennedy": "Kennedy Space Center, Florida, USA",
    "vandenberg": "Vandenberg Space Force Base, California, USA",
    "starbase": "Starbase, Texas, USA",
    "kourou": "Guiana Space Centre, Kourou, French Guiana",
    "baikonur": "Baikonur Cosmodrome, Kazakhstan",
    "tanegashima": "Tanegashima Space Center, Japan",
    "sriharikota": "Satish Dhawan Space Centre, Sriharikota, India",
    "mahia": "Rocket Lab Launch Complex 1, Mahia, New Zealand",
    "spaceport-america": "Spaceport America, New Mexico, USA",
}

# A rocket reaches every destination at or below its range.
_RANGE_ORDER = [RocketRange.suborbital, RocketRange.low_earth_orbit, RocketRange.interplanetary]
_DESTINATIONS_AT = {
    RocketRange.suborbital: ["edge-of-space"],
    RocketRange.low_earth_orbit: ["low-earth-orbit", "space-station"],
    RocketRange.interplanetary: ["moon", "mars"],
}
DESTINATIONS: list[str] = [d for r in _RANGE_ORDER for d in _DESTINATIONS_AT[r]]
DESTINATION_NAMES = {
    "edge-of-space": "Edge of space", "low-earth-orbit": "Low Earth orbit", "space-station": "Space station",
    "moon": "Moon", "mars": "Mars",
}


def destinations_for(rocket_range: RocketRange | str) -> list[str]:
    rocket_range = RocketRange(rocket_range)
    reachable = _RANGE_ORDER[: _RANGE_ORDER.index(rocket_range) + 1]
    return [d for r in reachable for d in _DESTINATIONS_AT[r]]


def range_of(destination: str) -> RocketRange:
    """The lowest range that reaches `destination`."""
    for r in _RANGE_ORDER:
        if destination in _DESTINATIONS_AT[r]:
            return r
    raise KeyError(destination)


# Status moves. Terminal statuses have no way out; a delayed launch may be delayed again.
OPEN_STATUSES = (LaunchStatus.scheduled, LaunchStatus.delayed)
TERMINAL_STATUSES = (LaunchStatus.aborted, LaunchStatus.launched, LaunchStatus.failed)
_MOVES: dict[LaunchStatus, tuple[LaunchStatus, ...]] = {
    LaunchStatus.scheduled: (LaunchStatus.delayed, LaunchStatus.aborted, LaunchStatus.launched, LaunchStatus.failed),
    LaunchStatus.delayed: (LaunchStatus.delayed, LaunchStatus.aborted, LaunchStatus.launched, LaunchStatus.failed),
}
ABORT_REASONS = [r.value for r in AbortReason]


def allowed_moves(current: LaunchStatus | str) -> list[str]:
    return [s.value for s in _MOVES.get(LaunchStatus(current), ())]


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


def is_bookable(status: LaunchStatus | str, date: datetime, seats_free: int, now: datetime | None = None) -> bool:
    return (LaunchStatus(status) in OPEN_STATUSES and as_utc(date) > (now or datetime.now(timezone.utc))
            and seats_free > 0)


def as_utc(value: datetime) -> datetime:
    """Dates without a zone are taken as UTC, the zone every launch date is shown in."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


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
