"""Pure launch rules: spaceports, what each rocket range can reach, and the status moves.

No I/O here, so these are unit-tested directly.
"""
from astrobookings.models.agency import RocketRange

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
