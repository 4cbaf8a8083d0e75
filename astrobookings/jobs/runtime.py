"""Start the process's scheduler and the listener that wakes its relay after each commit."""
import threading
import time

from astrobookings.cache import get_redis, key
from astrobookings.jobs.registry import load_jobs
from astrobookings.jobs.scheduler import LeaderScheduler


def start() -> LeaderScheduler:
    load_jobs()
    scheduler = LeaderScheduler()
    scheduler.start()
    threading.Thread(target=_listen_for_nudges, args=(scheduler,), daemon=True, name="outbox-nudge").start()
    return scheduler


def _listen_for_nudges(scheduler: LeaderScheduler) -> None:
    """On the leader, run the relay as soon as a commit nudges it (see services/outbox.py)."""
    from astrobookings.jobs import relay
    from services.outbox import NUDGE_KEY

    redis = get_redis()
    while scheduler.running:
        if not scheduler.is_leader:
            time.sleep(0.5)
            continue
        try:
            if redis.blpop([key(*NUDGE_KEY)], timeout=1):
                relay.nudged.set()
                scheduler.run_now("outbox-relay")
        except Exception:
            time.sleep(1)
