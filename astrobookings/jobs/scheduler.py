"""In-process APScheduler with leader election through a PostgreSQL session advisory lock.

Every process that runs the scheduler (PROCESS_ROLE all or worker) keeps one connection of its
own to PostgreSQL and tries to take the lock on it every CAMPAIGN_SECONDS; only the holder runs
the jobs, so each job runs once however many workers there are. The lock belongs to the
connection: when the leader dies (crash, SIGKILL, lost network) PostgreSQL releases it the moment
the connection ends, and a follower takes over at its next try, within about a second and never
later than two. Redis is not needed for it. The lock connection's application_name is the
leader's identity, which is how IT sees who leads (leader_identity()).
"""
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from apscheduler.schedulers.background import BackgroundScheduler

from services.core.db import raw_connection
from services.core.logs import get_logger
from services.core.leadership import LOCK_KEY


CAMPAIGN_SECONDS = 1.0
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
        self.identity = f"scheduler-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.is_leader = False
        self._conn: psycopg.Connection | None = None
        self._campaigning = threading.Lock()
        self._scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
        self.running = False
        # Threads that run beside the jobs while this scheduler runs (the outbox relay's), and how
        # to wake them from their waits so that stop() returns at once.
        self.companions: list[threading.Thread] = []
        self.wake_companions: list[Callable[[], None]] = []

    def _campaign(self) -> None:
        """Take the lock, or (as leader) check that its connection still lives."""
        with self._campaigning:
            try:
                if self._conn is None or self._conn.closed:
                    # Bounded like the pool's: a frozen server must not hang the campaign.
                    self._conn = raw_connection(autocommit=True, application_name=self.identity)
                if self.is_leader:
                    self._conn.execute("select 1")  # the lock lives as long as this connection
                    became = True
                else:
                    became = bool(self._conn.execute("select pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0])
            except Exception as exc:
                # PostgreSQL is down or the connection died: whatever lock it held is gone with it.
                _log.warning("leader election: no connection", extra={"fields": {"error": type(exc).__name__}})
                self._drop_connection()
                became = False
        if became != self.is_leader:
            _log.info("leadership changed", extra={"fields": {"leader": became, "identity": self.identity}})
        self.is_leader = became

    def _drop_connection(self, release: bool = False) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                if release:
                    # Closing also releases it, but only once the server has ended the session;
                    # unlocking first hands over before close() returns.
                    conn.execute("select pg_advisory_unlock_all()")
                conn.close()
            except Exception:
                pass

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
        self._scheduler.add_job(self._campaign, "interval", seconds=CAMPAIGN_SECONDS, id="leader-campaign")
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
        # Closing the connection releases the lock at once: a follower leads within a second.
        self.is_leader = False
        with self._campaigning:
            self._drop_connection(release=True)
