"""Relay handler: the activity log of bookings, written from their outbox events in batches.

Booking is the hot path: its EntryLog comes from the committed event (which records who, which
role, which entry point and the client address) instead of a MongoDB write inside the request.
"""
from astrobookings.jobs.relay import handles_batch
from astrobookings.models.outbox import OutboxEvent
from services import activity

ACTIONS = {"booking.created": "booking.create", "booking.cancelled": "booking.cancel"}


@handles_batch("booking.")
def log_bookings(events: list[OutboxEvent]) -> None:
    activity.record_events(events, ACTIONS)
