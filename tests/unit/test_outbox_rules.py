"""Pure rules of the outbox and of booking payments: event typing, consumer subscriptions, the
retry backoff, what an Idempotency-Key promises, the card check before any seat is held."""
from datetime import date, timedelta

import pytest

from services.core.models.booking import PassengerCreate
from services.booking.events import BookingCancelled, BookingHeld
from services.booking.rules import order_hash
from services.kernel import events
from services.kernel.errors import ValidationFailed
from services.kernel.events import Event, UnknownEvent
from services.kernel.payments import check_card
from services.kernel.relay import BACKOFF_CAP, Consumer


def test_an_event_knows_its_type_aggregate_and_payload():
    held = BookingHeld(booking_id=7, launch_id=3, seats=2, hold_expires_at="2030-01-01T00:00:00+00:00")
    assert (held.event_type, held.aggregate, held.aggregate_id()) == ("booking.held", "booking", "7")
    assert held.payload() == {"booking_id": 7, "launch_id": 3, "seats": 2, "hold_expires_at": "2030-01-01T00:00:00+00:00"}
    assert held.touched_launches() == [3]


def test_stored_payloads_come_back_typed_and_unknown_types_keep_their_data():
    parsed = events.parse("booking.cancelled", {"booking_id": 1, "launch_id": 2, "seats": 1, "refund_id": 9,
                                                "refund_cents": 90, "refund_percent": 90, "seats_returned": True})
    assert isinstance(parsed, BookingCancelled) and parsed.refund_id == 9
    future = events.parse("someday.happened", {"x": 1})
    assert isinstance(future, UnknownEvent) and future.data == {"x": 1}
    with pytest.raises(Exception):
        events.parse("booking.cancelled", {"booking_id": "not a number"})


def test_an_event_type_is_declared_once_and_names_a_real_aggregate_field():
    with pytest.raises(TypeError, match="declared twice"):
        type("Impostor", (Event,), {"__annotations__": {"booking_id": int}, "event_type": "booking.held",
                                    "aggregate": "booking", "aggregate_key": "booking_id"})
    with pytest.raises(TypeError, match="names no field"):
        type("Broken", (Event,), {"__annotations__": {"n": int}, "event_type": "test.broken",
                                  "aggregate": "x", "aggregate_key": "id"})


@pytest.mark.parametrize("patterns, event_type, wanted", [
    (("",), "auth.signed_in", True),
    (("booking.",), "booking.held", True),
    (("booking.",), "bookings.held", False),
    (("launch.aborted",), "launch.aborted", True),
    (("launch.aborted",), "launch.aborted_again", False),
    (("refund.requested", "launch."), "launch.delayed", True),
])
def test_a_consumer_takes_exact_types_prefixes_or_everything(patterns, event_type, wanted):
    assert Consumer("c", patterns, lambda batch: None).wants(event_type) is wanted


def test_the_backoff_doubles_from_its_base_up_to_the_cap():
    c = Consumer("c", ("",), lambda batch: None, backoff_base=1.0)
    assert [c.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert c.backoff(30) == timedelta(seconds=BACKOFF_CAP)


def _passenger(name: str = "Ada Lovelace") -> PassengerCreate:
    return PassengerCreate(name=name, email="ada@example.com", phone="+1 555 0100", birth_date=date(1985, 5, 17))


def test_the_order_hash_covers_launch_and_passengers_only():
    same = order_hash(5, [_passenger()])
    assert same == order_hash(5, [_passenger()]) and len(same) == 64
    assert order_hash(6, [_passenger()]) != same
    assert order_hash(5, [_passenger("Grace Hopper")]) != same
    assert order_hash(5, [_passenger(), _passenger()]) != same


@pytest.mark.parametrize("card", ["4242 4242 4242 4242", "4000000000000002", "4242-4242-4242-4242"])
def test_well_formed_cards_pass_the_check(card):
    check_card(card)


@pytest.mark.parametrize("card", ["", "4242", "4242424242424241", "4" * 20, "not a card"])
def test_malformed_cards_are_refused_naming_the_field(card):
    with pytest.raises(ValidationFailed) as refused:
        check_card(card)
    assert refused.value.field == "payment.card_number"
