"""Reconciliation's pure rules: a launch's expected card against the stored one."""
from datetime import datetime, timezone

from services.sync.reconcile import CARD_FIELDS, diff, differing_fields

WHEN = datetime(2031, 5, 17, 14, 0, 0, 123456, tzinfo=timezone.utc)


def _card(**changes) -> dict:
    card = {"launch_id": 7, "slug": "moon-7", "agency_name": "Orbit", "rocket_name": "Hopper", "rocket_range": "moon",
            "spaceport": "kourou", "spaceport_name": "Kourou", "destination": "moon", "date": WHEN,
            "price_cents": 100, "seats_offered": 6, "seats_free": 4, "status": "scheduled", "version": 3,
            "bookable": True}
    card.update(changes)
    return card


def test_the_same_card_differs_in_nothing_even_at_millisecond_precision():
    stored = _card(date=WHEN.replace(microsecond=123000), origin={"event_id": 9}, projected_at=WHEN)
    assert differing_fields(_card(), stored, CARD_FIELDS) == []


def test_each_compared_field_that_differs_is_named():
    stored = _card(seats_free=0, status="delayed", date=WHEN.replace(day=18), version=2)
    assert differing_fields(_card(), stored, CARD_FIELDS) == ["date", "seats_free", "status", "version"]


def test_a_chunk_sorts_missing_orphan_and_differing():
    expected = {"1": _card(launch_id=1), "2": _card(launch_id=2), "3": _card(launch_id=3)}
    stored = {"2": _card(launch_id=2), "3": _card(launch_id=3, price_cents=1), "9": _card(launch_id=9)}
    found = diff(expected, stored, CARD_FIELDS)
    assert (found.missing, found.orphan, found.differing, found.count) == (["1"], ["9"], ["3"], 3)
