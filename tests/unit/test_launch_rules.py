"""Launch rules without I/O: status moves, slugs, destinations per range, schedule checks."""
from datetime import datetime, timedelta, timezone

import pytest

from services.core.models.launch import LaunchStatus
from services.agency import rules
from services.booking import rules as booking_rules
from services.kernel.errors import Conflict, ValidationFailed

NOW = datetime(2027, 1, 1, 12, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=30)


@pytest.mark.parametrize("current,target", [
    ("scheduled", "delayed"), ("scheduled", "aborted"), ("delayed", "delayed"), ("delayed", "aborted"),
])
def test_delay_and_abort_are_allowed_before_the_launch_date(current, target):
    rules.check_transition(current, target, current_date=LATER, new_date=LATER + timedelta(days=1), reason="weather", now=NOW)


@pytest.mark.parametrize("current", ["scheduled", "delayed"])
@pytest.mark.parametrize("target", ["launched", "failed"])
def test_outcomes_are_refused_before_the_launch_date(current, target):
    """An early outcome would strip travelers of cancellation and refunds years ahead."""
    with pytest.raises(Conflict) as refused:
        rules.check_transition(current, target, current_date=LATER, now=NOW)
    assert refused.value.code == "launch_not_due" and refused.value.field == "status"
    with pytest.raises(Conflict):
        rules.check_transition(current, target, current_date=NOW + timedelta(seconds=1), now=NOW)


@pytest.mark.parametrize("current", ["scheduled", "delayed"])
@pytest.mark.parametrize("target", ["launched", "failed"])
def test_outcomes_are_allowed_from_the_launch_date_on(current, target):
    rules.check_transition(current, target, current_date=NOW, now=NOW)
    rules.check_transition(current, target, current_date=NOW - timedelta(days=2), now=NOW)


@pytest.mark.parametrize("current", ["aborted", "launched", "failed"])
@pytest.mark.parametrize("target", ["scheduled", "delayed", "aborted", "launched", "failed"])
def test_terminal_statuses_refuse_every_move_naming_the_status(current, target):
    with pytest.raises(Conflict) as refused:
        rules.check_transition(current, target, current_date=NOW, new_date=LATER + timedelta(days=1), reason="weather", now=NOW)
    assert current in refused.value.message and refused.value.extra["current_status"] == current


@pytest.mark.parametrize("current", ["scheduled", "delayed"])
def test_nothing_goes_back_to_scheduled(current):
    with pytest.raises(Conflict, match=f"A {current} launch cannot become scheduled"):
        rules.check_transition(current, "scheduled", current_date=LATER, now=NOW)


def test_allowed_moves_lists():
    assert rules.allowed_moves("scheduled", NOW, NOW) == ["delayed", "aborted", "launched", "failed"]
    assert rules.allowed_moves(LaunchStatus.delayed, NOW, NOW) == ["delayed", "aborted", "launched", "failed"]
    assert rules.allowed_moves("scheduled", LATER, NOW) == ["delayed", "aborted"]
    assert rules.allowed_moves("failed", NOW, NOW) == []


def test_delay_needs_a_later_future_date():
    with pytest.raises(ValidationFailed, match="Date is required") as missing:
        rules.check_transition("scheduled", "delayed", current_date=LATER, now=NOW)
    assert missing.value.field == "date"
    with pytest.raises(ValidationFailed, match="later than the current launch date"):
        rules.check_transition("scheduled", "delayed", current_date=LATER, new_date=LATER, now=NOW)
    with pytest.raises(ValidationFailed, match="in the future"):
        rules.check_transition("scheduled", "delayed", current_date=NOW - timedelta(days=9),
                               new_date=NOW - timedelta(days=1), now=NOW)
    # A date without a zone is UTC.
    rules.check_transition("delayed", "delayed", current_date=LATER, new_date=(LATER + timedelta(hours=1)).replace(tzinfo=None), now=NOW)


@pytest.mark.parametrize("reason", [None, "", "bored", "Weather"])
def test_abort_reason_must_be_known(reason):
    with pytest.raises(ValidationFailed, match="weather, technical, financial") as refused:
        rules.check_transition("scheduled", "aborted", current_date=LATER, reason=reason, now=NOW)
    assert refused.value.field == "reason"


def test_slug_is_readable_and_ascii():
    date = datetime(2027, 3, 14, 23, 30, tzinfo=timezone.utc)
    assert rules.launch_slug(date, "StarHopper", "kourou", "moon") == "2027-03-14-starhopper-kourou-to-moon"
    assert rules.launch_slug(date, "  Étoile Nº 5!! ", "spaceport-america", "edge-of-space") == \
        "2027-03-14-etoile-no-5-spaceport-america-to-edge-of-space"
    # The date in the slug is the UTC date.
    plus_two = timezone(timedelta(hours=2))
    assert rules.launch_slug(datetime(2027, 3, 15, 1, tzinfo=plus_two), "X1", "mahia", "mars").startswith("2027-03-14-")
    assert rules.launch_slug(date, "!!!", "mahia", "mars") == "2027-03-14-rocket-mahia-to-mars"
    assert len(rules.launch_slug(date, "x" * 300, "mahia", "mars")) <= 150


def test_slug_collisions_get_numbers():
    assert rules.next_free_slug("a", set()) == "a"
    assert rules.next_free_slug("a", {"a"}) == "a-2"
    assert rules.next_free_slug("a", {"a", "a-2", "a-3"}) == "a-4"


def test_destinations_per_range():
    assert rules.destinations_for("suborbital") == ["edge-of-space"]
    assert rules.destinations_for("low_earth_orbit") == ["edge-of-space", "low-earth-orbit", "space-station"]
    assert rules.destinations_for("interplanetary") == ["edge-of-space", "low-earth-orbit", "space-station", "moon", "mars"]


@pytest.mark.parametrize("rocket_range,destination,ok", [
    ("suborbital", "edge-of-space", True), ("suborbital", "space-station", False), ("low_earth_orbit", "moon", False),
    ("low_earth_orbit", "space-station", True), ("interplanetary", "mars", True),
])
def test_schedule_checks_the_range(rocket_range, destination, ok):
    if ok:
        rules.check_schedule(rocket_range, "kennedy", destination, LATER, now=NOW)
    else:
        with pytest.raises(ValidationFailed, match="beyond this rocket's range") as refused:
            rules.check_schedule(rocket_range, "kennedy", destination, LATER, now=NOW)
        assert refused.value.field == "destination"


def test_schedule_checks_spaceport_destination_and_date():
    for args, field in [(("interplanetary", "atlantis", "moon", LATER), "spaceport"),
                        (("interplanetary", "kennedy", "pluto", LATER), "destination"),
                        (("interplanetary", "kennedy", "moon", NOW), "date")]:
        with pytest.raises(ValidationFailed) as refused:
            rules.check_schedule(*args, now=NOW)
        assert refused.value.field == field


def test_bookable_needs_an_open_status_a_future_date_and_a_free_seat():
    assert booking_rules.is_open_for_booking("scheduled", LATER, 1, NOW) and booking_rules.is_open_for_booking("delayed", LATER, 3, NOW)
    assert not booking_rules.is_open_for_booking("scheduled", LATER, 0, NOW)
    assert not booking_rules.is_open_for_booking("scheduled", NOW - timedelta(seconds=1), 3, NOW)
    assert not any(booking_rules.is_open_for_booking(s, LATER, 3, NOW) for s in ("aborted", "launched", "failed"))
