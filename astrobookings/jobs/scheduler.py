"""In-process APScheduler with leader election through a Redis lock.

Every process that runs the scheduler (PROCESS_ROLE all or worker) tries to hold the lock; only
the holder runs the jobs, so each job runs once however many workers there are. If the leader
dies its lock expires and another process takes over within LOCK_TTL seconds.
"""
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler

from astrobookings.cache import get_redis, key
from astrobookings.logs import get_logger

LOCK_TTL = 15
_log = get_logger("scheduler")


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[], object]
    seconds: float


_jobs: list[Job] = []


def every(seconds: float, job_id: str | None = None):
    """Register a function as a leader-only job running every `seconds`."""
    def register(func):
        job = Job(job_id or func.__name__, func, seconds)
        if all(j.id != job.id for j in _jobs):  # registering twice (tests load the jobs again) is one job
            _jobs.append(job)
        return func
    return register


class LeaderScheduler:
    def __init__(self) -> None:
        self.identity = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.is_leader = False
        self._scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
        self.running = False
        # Threads that run beside the jobs while this scheduler runs (the outbox relay's), and how
        # to wake them from their waits so that stop() returns at once.
        self.companions: list[threading.Thread] = []
        self.wake_companions: list[Callable[[], None]] = []

    def _campaign(self) -> None:
        r, lock = get_redis(), key("scheduler", "leader")
        try:
            if r.set(lock, self.identity, nx=True, ex=LOCK_TTL):
                became = True
            elif r.get(lock) == self.identity:
                r.expire(lock, LOCK_TTL)
                became = True
            else:
                became = False
        except Exception:
            _log.exception("leader election failed")
            became = False
        if became != self.is_leader:
            _log.info("leadership changed", extra={"fields": {"leader": became, "identity": self.identity}})
        self.is_leader = became

    def _guarded(self, job: Job) -> Callable[[], None]:
        def run() -> None:
            if not self.is_leader:
                return
            try:
                job.func()
            except Exception:
                _log.exception("job failed", extra={"fields": {"job": job.id}})
        return run

    def run_now(self, job_id: str) -> None:
        """Nudge a job to run at once (it still runs only on the leader)."""
        job = self._scheduler.get_job(job_id)
        if job is not None:
            from datetime import datetime, timezone
            job.modify(next_run_time=datetime.now(timezone.utc))

    def start(self) -> None:
        self._campaign()
        self._scheduler.add_job(self._campaign, "interval", seconds=LOCK_TTL / 3, id="leader-campaign")
        for job in _jobs:
            self._scheduler.add_job(self._guarded(job), "interval", seconds=job.seconds, id=job.id)
        self._scheduler.start()
        self.running = True
        _log.info("scheduler started", extra={"fields": {"jobs": [j.id for j in _jobs], "leader": self.is_leader}})

    def stop(self) -> None:
        self.running = False
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        for wake in self.wake_companions:
            wake()
        for thread in self.companions:
            thread.join(timeout=10)
        if self.is_leader:
            r, lock = get_redis(), key("scheduler", "leader")
            if r.get(lock) == self.identity:
                r.delete(lock)
        self.is_leader = False
