"""The launch vocabulary every domain shares: spaceports, destinations and the ranges that reach
them, which statuses leave a launch open, and the one time zone launch dates are kept in.

Pure data and functions, no I/O: the agency rules, the booking rules and the read model all
read these, so they live below the services.
"""
from datetime import datetime, timezone

from services.core.models.agency import RocketRange
from services.core.models.launch import LaunchStatus

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



# Open: the launch has not ended (it may still fly, be delayed or be aborted).
OPEN_STATUSES = (LaunchStatus.scheduled, LaunchStatus.delayed)
TERMINAL_STATUSES = (LaunchStatus.aborted, LaunchStatus.launched, LaunchStatus.failed)


def as_utc(value: datetime) -> datetime:
    """Dates without a zone are taken as UTC, the zone every launch date is shown in."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
