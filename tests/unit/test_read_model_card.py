"""A launch card is bookable only while open, in the future and with a free seat."""
from datetime import datetime, timezone

from services.core.models.agency import Agency, Rocket, RocketRange
from services.core.models.launch import Launch, LaunchStatus
from services.agency.events import AgencyProfileUpdated, LaunchDelayed
from services.auth.events import SignedIn
from services.booking.events import BookingHeld
from services.kernel.events import Envelope
from services.sync.read_model import card_of, launch_ids_of

DATE = datetime(2030, 1, 1, tzinfo=timezone.utc)


def _card(now: datetime, status=LaunchStatus.scheduled, sold: int = 0):
    launch = Launch(id=7, agency_id=1, rocket_id=2, spaceport="kourou", destination="moon", price_cents=100, slug="s",
                    seats_offered=2, seats_sold=sold, date=DATE, status=status, version=3)
    rocket = Rocket(id=2, agency_id=1, name="Hopper", capacity=2, range=RocketRange.interplanetary)
    return card_of(launch, Agency(id=1, user_id="u", name="Orbital"), rocket, now=now)


def test_card_carries_what_the_catalog_shows():
    card = _card(datetime(2029, 1, 1, tzinfo=timezone.utc))
    assert (card.id, card.launch_id, card.agency_name, card.rocket_name, card.rocket_range) == ("7", 7, "Orbital", "Hopper", "interplanetary")
    assert card.spaceport_name.startswith("Guiana") and card.seats_free == 2 and card.version == 3 and card.bookable


def test_card_is_not_bookable_when_past_full_or_closed():
    assert not _card(datetime(2030, 1, 2, tzinfo=timezone.utc)).bookable
    assert not _card(datetime(2029, 1, 1, tzinfo=timezone.utc), sold=2).bookable
    assert not _card(datetime(2029, 1, 1, tzinfo=timezone.utc), status=LaunchStatus.aborted).bookable


def _envelope(event) -> Envelope:
    return Envelope(1, event.event_type, event, event.aggregate, event.aggregate_id(), 1, None, None, None, "web", None, DATE)


def test_events_name_the_launches_they_touch():
    assert launch_ids_of(_envelope(LaunchDelayed(launch_id=5, agency_id=1, slug="s", from_status="scheduled",
                                                 old_date="a", date="b"))) == [5]
    assert launch_ids_of(_envelope(BookingHeld(booking_id=9, launch_id=5, seats=1, hold_expires_at="x"))) == [5]
    assert launch_ids_of(_envelope(AgencyProfileUpdated(agency_id=1, fields=["name"], launch_ids=[4, 3]))) == [3, 4]
    assert launch_ids_of(_envelope(SignedIn(user_id="u", role="traveler"))) == []
