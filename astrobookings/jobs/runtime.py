"""The process-wide scheduler instance."""
from astrobookings.jobs.registry import load_jobs
from astrobookings.jobs.scheduler import LeaderScheduler

_scheduler: LeaderScheduler | None = None


def start() -> LeaderScheduler:
    global _scheduler
    load_jobs()
    _scheduler = LeaderScheduler()
    _scheduler.start()
    return _scheduler


def current() -> LeaderScheduler | None:
    return _scheduler
