"""Relay handler: keep the customer read model's launch cards in step with PostgreSQL.

Any event about a launch re-projects it, whoever emitted it (agency changes, bookings and
cancellations carry {"launch_id": ...} and bump the launch version)."""
from astrobookings.jobs.relay import handles
from astrobookings.models.outbox import OutboxEvent
from services import read_model


@handles("")
def project_launch_cards(event: OutboxEvent) -> None:
    for launch_id in read_model.launch_ids_of(event.event_type, event.aggregate_type, event.aggregate_id,
                                              event.payload or {}):
        read_model.project_launch(launch_id)
