"""The launch in the traveler's calendar: the .ics each booking email carries, parsed back with
the `icalendar` package: the confirmation's event, a delay's update (same UID, higher SEQUENCE,
the new time), and the withdrawal an abort or a cancellation sends (METHOD:CANCEL)."""
from datetime import datetime, timedelta, timezone

from icalendar import Calendar

from services.agency.events import LaunchAborted, LaunchDelayed
from services.booking.events import BookingCancelled, BookingConfirmed
from services.kernel.events import Envelope
from services.notify.audience import BookingInfo, LaunchInfo, Recipient, drafts

LAUNCH_AT = datetime(2027, 9, 14, 14, 30, tzinfo=timezone.utc)
BOOKED = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)
ANN = Recipient("ann@example.com", "u-ann", "Ann")
BOB = Recipient("bob@example.com", "u-bob", "Bob")
MAIL_FROM = "AstroBookings <no-reply@astro.example>"
LAUNCH = {"launch_id": 1, "agency_id": 7, "slug": "2027-09-14-hopper-kourou-to-moon"}


class Facts:
    def launch(self, launch_id):
        return LaunchInfo(launch_id, "Hopper to Moon from Kourou", LAUNCH["slug"], LAUNCH_AT, 6, 3, 7,
                          "Guiana Space Centre, Kourou")

    def booking(self, booking_id):
        return BookingInfo(booking_id, 1, ANN if booking_id in (10, 12) else BOB, 1, 25_000, ["Ann"])

    def travelers_of(self, launch_id):
        return [ANN, BOB]

    def bookings_on(self, launch_id):
        return [self.booking(10), self.booking(11), self.booking(12)]

    def agency(self, agency_id):
        return Recipient("ops@agency.example", "u-agency")

    def vips(self):
        return []


def _mail(event, outbox_id: int, at: datetime, kind: str, to: str = "ann@example.com"):
    envelope = Envelope(outbox_id, event.event_type, event, event.aggregate, event.aggregate_id(), 1, "u-x",
                        "x@example.com", "agency", "web", None, at)
    [draft] = [d for d in drafts(envelope, Facts(), "https://astro.example", MAIL_FROM)
               if d.kind == kind and d.to.email == to]
    return draft


def _events(draft) -> list:
    found = []
    for a in draft.attachments:
        assert a["filename"].endswith(".ics") and a["content_type"].startswith("text/calendar; method=")
        cal = Calendar.from_ical(a["data"])
        assert a["content_type"] == f"text/calendar; method={cal['method']}"
        found += [(str(cal["method"]), e) for e in cal.walk("VEVENT")]
    return found


def _confirmation():
    return _mail(BookingConfirmed(booking_id=10, launch_id=1, seats=1, amount_cents=25_000, payment_ref="p"),
                 500, BOOKED, "booking_confirmed")


def test_the_confirmation_carries_the_launch_as_an_event():
    draft = _confirmation()
    [(method, event)] = _events(draft)
    assert method == "REQUEST"
    assert str(event["uid"]) == "booking-10@astro.example"
    assert event.decoded("dtstart") == LAUNCH_AT and event.decoded("dtend") > LAUNCH_AT
    assert str(event["location"]) == "Guiana Space Centre, Kourou"
    assert str(event["url"]) == "https://astro.example/traveler/bookings/10/receipt"
    assert int(event["sequence"]) == 0 and str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstamp") == BOOKED
    assert draft.attach_receipt_booking_id == 10


def test_a_delay_sends_the_same_uid_with_a_higher_sequence_and_the_new_time():
    new_time = LAUNCH_AT + timedelta(days=20, hours=2)
    draft = _mail(LaunchDelayed(**LAUNCH, from_status="scheduled", old_date=LAUNCH_AT.isoformat(),
                                date=new_time.isoformat(), reason="wind"), 900, BOOKED + timedelta(days=3),
                  "launch_delayed")
    [(_, booked)] = _events(_confirmation())
    moved = dict((str(e["uid"]), (method, e)) for method, e in _events(draft))
    # Ann holds bookings 10 and 12: one email, both events; Bob's is not in hers.
    assert set(moved) == {"booking-10@astro.example", "booking-12@astro.example"}
    method, event = moved[str(booked["uid"])]
    assert method == "REQUEST" and int(event["sequence"]) > int(booked["sequence"])
    assert event.decoded("dtstart") == new_time


def test_an_abort_withdraws_the_event():
    draft = _mail(LaunchAborted(**LAUNCH, from_status="scheduled", reason="technical", cancelled_booking_ids=[10, 11]),
                  901, BOOKED + timedelta(days=5), "launch_aborted")
    [(method, event)] = _events(draft)
    assert method == "CANCEL" and str(event["uid"]) == "booking-10@astro.example"
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 901


def test_a_cancelled_booking_withdraws_its_event():
    draft = _mail(BookingCancelled(booking_id=11, launch_id=1, seats=1, refund_cents=0, refund_percent=0,
                                   seats_returned=False), 902, BOOKED + timedelta(days=6), "booking_cancelled",
                  to="bob@example.com")
    [(method, event)] = _events(draft)
    assert method == "CANCEL" and str(event["uid"]) == "booking-11@astro.example" and int(event["sequence"]) == 902


def test_the_same_change_writes_the_same_bytes():
    assert _confirmation().attachments == _confirmation().attachments
