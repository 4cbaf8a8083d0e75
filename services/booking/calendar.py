"""A booking as an iCalendar event (RFC 5545, iTIP RFC 5546), attached to the traveler's emails so
the launch sits in their calendar and follows it: the confirmation sends the event, a delay sends
it again with the new time, an abort or a cancellation withdraws it (METHOD:CANCEL).

One event per booking, with a UID that never changes (the booking's number and the install's mail
domain), so every update replaces the same entry. SEQUENCE only grows: 0 when booked, then the
outbox id of the change that moved or withdrew it (ids increase with time), so calendars apply the
updates in order and a replayed event writes the same bytes. Pure: no store is read."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//AstroBookings//Launch bookings//EN"
# A launch has a moment, not a length: an hour shows it in a day view without hiding the rest.
SHOWN_FOR = timedelta(hours=1)
CONTENT_TYPE = "text/calendar"


@dataclass(frozen=True)
class LaunchEvent:
    booking_id: int
    launch_name: str
    start: datetime
    place: str
    url: str  # the booking, where the traveler sees it as it stands
    attendee: str  # the traveler's email
    organizer: str  # the address the emails come from
    sequence: int = 0
    cancelled: bool = False


def uid(booking_id: int, organizer: str) -> str:
    domain = organizer.rsplit("@", 1)[-1].strip(" >") or "astrobookings.example"
    return f"booking-{booking_id}@{domain}"


def ics(event: LaunchEvent, stamp: datetime) -> bytes:
    """The calendar object: METHOD:REQUEST while the launch stands, METHOD:CANCEL once it does not.
    `stamp` (DTSTAMP) is the moment of the change, so the same change gives the same bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if event.cancelled else "REQUEST")
    vevent = Event()
    vevent.add("uid", uid(event.booking_id, event.organizer))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.start + SHOWN_FOR)
    vevent.add("summary", f"Launch: {event.launch_name}")
    vevent.add("location", event.place)
    vevent.add("url", event.url)
    vevent.add("description", f"Your booking #{event.booking_id} on {event.launch_name}. "
                              f"It stands as it is now at {event.url}")
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{_address(event.organizer)}")
    organizer.params["cn"] = vText("AstroBookings")
    vevent.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{event.attendee}")
    attendee.params.update({"role": vText("REQ-PARTICIPANT"), "partstat": vText("ACCEPTED"), "rsvp": vText("FALSE")})
    vevent.add("attendee", attendee)
    cal.add_component(vevent)
    return cal.to_ical()


def attachment(event: LaunchEvent, stamp: datetime) -> dict:
    """The event as an email attachment (services/notify/sender.py sends its `method` parameter)."""
    method = "CANCEL" if event.cancelled else "REQUEST"
    return {"filename": f"astrobookings-booking-{event.booking_id}.ics",
            "content_type": f"{CONTENT_TYPE}; method={method}", "data": ics(event, stamp)}


def _address(mail_from: str) -> str:
    # "AstroBookings <no-reply@astrobookings.example>" -> no-reply@astrobookings.example
    return mail_from.rsplit("<", 1)[-1].strip(" >")
