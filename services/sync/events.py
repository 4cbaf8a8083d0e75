"""The events of sync jobs: IT starts or cancels one, the scheduler finishes it. Each type is also
the activity log's action."""
from services.kernel.events import Event


class _SyncJobEvent(Event):
    aggregate = "sync_job"
    aggregate_key = "job_id"
    job_id: str
    kind: str


class SyncJobRequested(_SyncJobEvent):
    event_type = "sync.job_requested"


class SyncJobCancelled(_SyncJobEvent):
    event_type = "sync.job_cancelled"


class SyncJobFinished(_SyncJobEvent):
    """A job ended (done, failed or cancelled) with what it processed, found and repaired."""
    event_type = "sync.job_finished"
    status: str
    processed: int
    repaired: int
    errors: int
    found: dict[str, int] = {}
