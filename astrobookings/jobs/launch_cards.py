"""Relay handler: keep the customer read model's launch cards in step with PostgreSQL.

Any event about a launch re-projects it, whoever emitted it (agency changes, bookings and
cancellations carry {"launch_id": ...} and bump the launch version). A batch projects each
launch once, however many of its events it holds: the card is built from the current row."""
from astrobookings.jobs.relay import handles_batch
from astrobookings.models.outbox import OutboxEvent
from services import read_model


@handles_batch("")
def project_launch_cards(events: list[OutboxEvent]) -> None:
    launch_ids = dict.fromkeys(
        launch_id for e in events
        for launch_id in read_model.launch_ids_of(e.event_type, e.aggregate_type, e.aggregate_id, e.payload or {}))
    for launch_id in launch_ids:
        read_model.project_launch(launch_id)
