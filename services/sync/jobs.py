"""Sync jobs (JobQueue documents in the system database): IT asks for a full resync of the customer
read model or a reconciliation; the scheduler's leader runs it in chunks (`run_pending`), never
a web request.

After each chunk the job records its counts and its position (which projection, the last id
done) in one update, so a job interrupted by a restart resumes at that position on the next
leader; a chunk half done is simply done again (repairs are idempotent). One job of each kind
at a time: a lock document per kind, taken when the job is queued and dropped when it ends.
Starting, cancelling and finishing are outbox events, so they land in the activity log.
"""
import time
import uuid

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from services.core.db import unit_of_work
from services.core.logs import get_logger
from services.core.models.base import utcnow
from services.core.models.documents import JobQueue, JobStatus
from services.core.mongo import system_db
from services.kernel import outbox
from services.kernel.actor import SYSTEM, Actor
from services.kernel.errors import Conflict, NotFound, ValidationFailed
from services.kernel.events import Event
from services.sync.events import SyncJobCancelled, SyncJobFinished, SyncJobRequested
from services.sync.reconcile import PROJECTIONS, run_chunk

OPERATORS = ("it", "admin")
KINDS = ("resync", "reconcile")
ACTIVE = (JobStatus.queued.value, JobStatus.running.value)
CHUNK = 1000
SLICE_SECONDS = 2.0        # a scheduler run advances the job this long, then lets other jobs run
REPAIRED_IDS_KEPT = 1000
_log = get_logger("sync_jobs")


def _jobs():
    return system_db()[JobQueue.collection]


def _locks():
    return system_db()["sync_job_locks"]


def _record(event: Event, actor: Actor) -> None:
    with unit_of_work() as session:
        outbox.record(session, event, actor)


def _load(job_id: str) -> JobQueue:
    doc = _jobs().find_one({"_id": job_id}) if isinstance(job_id, str) and len(job_id) <= 64 else None
    if doc is None:
        raise NotFound("No such sync job.", field="job_id")
    return JobQueue.model_validate(doc)


def start_job(actor: Actor, kind: str) -> JobQueue:
    """Queue a resync or a reconciliation; refused while another of the same kind is queued or running."""
    actor.require(*OPERATORS)
    if kind not in KINDS:
        raise ValidationFailed("The kind must be resync or reconcile.", field="kind")
    return _enqueue(kind, actor)


def _enqueue(kind: str, actor: Actor) -> JobQueue:
    job = JobQueue(_id=uuid.uuid4().hex, kind=kind, requested_by=actor.email)
    if not _take_lock(kind, job.id):
        holder = _locks().find_one({"_id": kind}) or {}
        raise Conflict(f"A {kind} is already queued or running; wait for it or cancel it.", field="kind",
                       job_id=holder.get("job_id"))
    _jobs().insert_one(job.to_mongo())
    _record(SyncJobRequested(job_id=job.id, kind=kind), actor)
    return job


def _take_lock(kind: str, job_id: str) -> bool:
    for _ in range(3):
        try:
            _locks().insert_one({"_id": kind, "job_id": job_id, "at": utcnow()})
            return True
        except DuplicateKeyError:
            holder = _locks().find_one({"_id": kind})
            if holder is None:
                continue  # released meanwhile
            held_by = _jobs().find_one({"_id": holder["job_id"]}, projection=["status"])
            if held_by is None and (utcnow() - holder["at"]).total_seconds() < 60:
                return False  # its job is being written right now
            if held_by is not None and held_by["status"] in ACTIVE:
                return False
            # The lock outlived its job (a crash between finishing and releasing): take it over.
            _locks().delete_one({"_id": kind, "job_id": holder["job_id"]})
    return False


def _release_lock(job: JobQueue) -> None:
    _locks().delete_one({"_id": job.kind, "job_id": job.id})


def get_job(actor: Actor, job_id: str) -> JobQueue:
    actor.require(*OPERATORS)
    return _load(job_id)


def list_jobs(actor: Actor, *, page: int = 1, per_page: int = 20) -> tuple[list[JobQueue], int]:
    """Jobs, newest first."""
    actor.require(*OPERATORS)
    page, per_page = max(page, 1), min(max(per_page, 1), 100)
    total = _jobs().count_documents({})
    docs = _jobs().find({}).sort("created_at", DESCENDING).skip((page - 1) * per_page).limit(per_page)
    return [JobQueue.model_validate(d) for d in docs], total


def cancel_job(actor: Actor, job_id: str) -> JobQueue:
    """A queued job ends at once; a running one stops after its current chunk."""
    actor.require(*OPERATORS)
    job = _load(job_id)
    if job.status not in ACTIVE:
        raise Conflict(f"This job has already ended ({job.status}).", field="job_id")
    queued = _jobs().find_one_and_update({"_id": job.id, "status": JobStatus.queued.value},
                                         {"$set": {"status": JobStatus.cancelled.value, "finished_at": utcnow(),
                                                   "cancel_requested": True}})
    if queued is not None:
        _release_lock(job)
    else:
        _jobs().update_one({"_id": job.id, "status": {"$in": list(ACTIVE)}}, {"$set": {"cancel_requested": True}})
    _record(SyncJobCancelled(job_id=job.id, kind=job.kind), actor)
    return _load(job.id)


def last_finished(kind: str) -> JobQueue | None:
    """The latest job of this kind that ended (for the system status)."""
    doc = _jobs().find_one({"kind": kind, "status": {"$nin": list(ACTIVE)}}, sort=[("created_at", DESCENDING)])
    return JobQueue.model_validate(doc) if doc else None


def schedule_reconciliation() -> None:
    """The scheduler's periodic reconciliation; nothing when one is already queued or running."""
    try:
        _enqueue("reconcile", SYSTEM)
    except Conflict:
        pass


def run_pending(*, time_budget: float = SLICE_SECONDS, chunk: int = CHUNK, max_chunks: int | None = None) -> str | None:
    """Scheduler job: advance the oldest queued or running job by chunks for about `time_budget`
    seconds (or `max_chunks`). Returns the job's id, or None when there was nothing to do."""
    doc = _jobs().find_one({"status": {"$in": list(ACTIVE)}}, sort=[("created_at", ASCENDING)])
    if doc is None:
        return None
    job = JobQueue.model_validate(doc)
    if job.status == JobStatus.queued.value:
        job = _begin(job)
    deadline, chunks = time.monotonic() + time_budget, 0
    try:
        while True:
            current = _jobs().find_one({"_id": job.id}, projection=["cancel_requested", "status"])
            if current is None or current["status"] not in ACTIVE:
                return job.id
            if current.get("cancel_requested"):
                _finish(job, JobStatus.cancelled)
                return job.id
            phase = job.position.get("phase", 0)
            if phase >= len(PROJECTIONS):
                _finish(job, JobStatus.done)
                return job.id
            _advance(job, PROJECTIONS[phase], chunk)
            chunks += 1
            if (max_chunks is not None and chunks >= max_chunks) or time.monotonic() >= deadline:
                return job.id
    except Exception as exc:
        _log.exception("sync job failed", extra={"fields": {"job": job.id}})
        _finish(job, JobStatus.failed, error=f"{type(exc).__name__}: {exc}"[:500])
        return job.id


def _begin(job: JobQueue) -> JobQueue:
    total = sum(p.count_rows() for p in PROJECTIONS)
    now = utcnow()
    _jobs().update_one({"_id": job.id, "status": JobStatus.queued.value},
                       {"$set": {"status": JobStatus.running.value, "started_at": now, "updated_at": now,
                                 "total": total, "position": {"phase": 0, "after": 0}}})
    return _load(job.id)


def _advance(job: JobQueue, projection, chunk: int) -> None:
    result = run_chunk(projection, job.position.get("after", 0), chunk, rewrite_all=job.kind == "resync",
                       origin={"sync_job": job.id})
    found = dict(job.found)
    for what in ("missing", "orphan", "differing"):
        name = f"{projection.name}.{what}"
        found[name] = found.get(name, 0) + len(getattr(result.diff, what))
    ids = dict(job.repaired_ids)
    ids[projection.name] = (ids.get(projection.name, []) + result.repaired)[:REPAIRED_IDS_KEPT]
    position = {"phase": job.position.get("phase", 0) + 1, "after": 0} if result.finished else \
        {"phase": job.position.get("phase", 0), "after": result.last_id}
    job.processed += result.processed
    job.repaired += len(result.repaired)
    job.errors += result.errors
    job.found, job.repaired_ids, job.position = found, ids, position
    # Counts and position in one write: a restart resumes exactly after the last chunk recorded.
    _jobs().update_one({"_id": job.id}, {"$set": {
        "processed": job.processed, "repaired": job.repaired, "errors": job.errors, "found": found,
        "repaired_ids": ids, "position": position, "updated_at": utcnow()}})


def _finish(job: JobQueue, status: JobStatus, error: str | None = None) -> None:
    _jobs().update_one({"_id": job.id}, {"$set": {"status": status.value, "finished_at": utcnow(), "error": error,
                                                  "updated_at": utcnow()}})
    _release_lock(job)
    _record(SyncJobFinished(job_id=job.id, kind=job.kind, status=status.value, processed=job.processed,
                            repaired=job.repaired, errors=job.errors, found=job.found), SYSTEM)
    _log.info("sync job ended", extra={"fields": {"job": job.id, "kind": job.kind, "status": status.value,
                                                   "processed": job.processed, "repaired": job.repaired}})


def job_view(job: JobQueue) -> dict:
    """The REST shape of a job (and what the IT page shows)."""
    duration = None
    if job.started_at is not None:
        end = job.finished_at or utcnow()
        duration = round((end - job.started_at).total_seconds(), 1)
    return {"id": job.id, "kind": job.kind, "status": job.status, "total": job.total, "processed": job.processed,
            "repaired": job.repaired, "errors": job.errors, "started_at": job.started_at,
            "finished_at": job.finished_at, "created_at": job.created_at, "requested_by": job.requested_by,
            "duration_seconds": duration, "found": job.found, "repaired_ids": job.repaired_ids,
            "error": job.error, "cancel_requested": job.cancel_requested}
