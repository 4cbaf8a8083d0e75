"""Demo operations: an admin's account change, and IT's sync jobs: a resync that failed part way
and a reconciliation that ran to its end (which also brings the read model up to date at once)."""
from services.core.models.documents import JobStatus
from services.auth import users
from services.kernel.actor import Actor
from services.kernel.errors import Conflict
from services.sync import jobs

# The resync's failure as IT would see it after a MongoDB primary stepped down mid-run.
FAILED_RESYNC_ERROR = "NotWritablePrimary: not primary while writing launch cards (the job stopped; start it again)"


def admin_steps(admin: Actor, user_id: str) -> None:
    """The admin disables a traveler who asked to close their account (the admin list shows it)."""
    users.update_user(admin, user_id, {"disabled": True})


def sync_jobs(it: Actor) -> None:
    """One failed resync, one finished reconciliation; nothing when a job of either kind is
    already queued or running (a scheduler beside the seeding started one)."""
    try:
        failed = jobs.start_job(it, "resync")
    except Conflict:
        return
    # The job machinery's own steps, as the scheduler takes them when a chunk raises.
    jobs._finish(jobs._begin(failed), JobStatus.failed, error=FAILED_RESYNC_ERROR)
    sync = Actor(user_id=it.user_id, email=it.email, role=it.role, name=it.name, entry_point="sync")
    try:
        job = jobs.start_job(sync, "reconcile")
    except Conflict:
        return
    for _ in range(100):
        if jobs.get_job(it, job.id).status not in jobs.ACTIVE:
            return
        jobs.run_pending(max_chunks=10)
