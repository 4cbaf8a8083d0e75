"""The `read-model` consumer: keep the customer read model's launch cards in step with PostgreSQL.

It takes every event that changes what a launch card shows (the launch itself, its seats, the
agency's or rocket's name) and re-projects the launches the event names. A batch projects each
launch once, however many of its events it holds: the card is built from the current row, and
written only when the launch's version is newer than the card's, so a repeated delivery changes
nothing. `booking.confirmed` is not here: the hold already counted its seats.

The `traveler-bookings` consumer keeps each traveler's bookings (their status, seats, amounts).
"""
from services.kernel.events import Envelope
from services.kernel.relay import consumer
from services.sync import read_model, traveler_bookings

EVENTS = ("launch.scheduled", "launch.delayed", "launch.aborted", "launch.launched", "launch.failed",
          "booking.held", "booking.released", "booking.expired", "booking.cancelled",
          "agency.profile_updated", "rocket.updated")


@consumer("read-model", *EVENTS, batch=True, linger=0.01)
def project_launch_cards(batch: list[Envelope]) -> None:
    # Each launch once, naming the latest event that touched it as the card's origin.
    latest: dict[int, int] = {}
    for e in batch:
        for launch_id in read_model.launch_ids_of(e):
            latest[launch_id] = max(latest.get(launch_id, 0), e.id)
    for launch_id, event_id in latest.items():
        read_model.project_launch(launch_id, origin={"event_id": event_id})


@consumer("traveler-bookings", "booking.", batch=True)
def project_traveler_bookings(batch: list[Envelope]) -> None:
    latest: dict[int, int] = {}
    for e in batch:
        booking_id = getattr(e.event, "booking_id", None)
        if booking_id is not None:
            latest[int(booking_id)] = max(latest.get(int(booking_id), 0), e.id)
    for booking_id, event_id in latest.items():
        traveler_bookings.project_booking(booking_id, origin={"event_id": event_id})
