"""The `activity-log` consumer: every event, of every domain, becomes its EntryLog.

Events come in batches (one insert for many); a batch that fails is retried event by event by the
relay, and the entries are keyed by event id, so nothing is written twice.
"""
from services.kernel.events import Envelope
from services.kernel.relay import consumer
from services.monitor import activity


# Nobody waits on the log: under a stream of events it gathers bigger batches (one insert each).
@consumer("activity-log", "", batch=True, linger=0.1)
def log_activity(batch: list[Envelope]) -> None:
    activity.record_events(batch)
