"""Start the process's scheduler (timed jobs, on its leader only) and the background work, which
every worker process shares.

Every process with the worker role (or `all`) runs the outbox relay and the email sender, leader
or not: one thread pumps and dispatches new events as soon as a commit nudges it (it waits on the
nudges' Redis list, see services/kernel/outbox.py; whichever process pops a nudge serves it), one
thread per consumer claims due deliveries with SKIP LOCKED and is woken by its own process's
dispatcher, one thread sends email, and one renews this process's leases. So a slow or failing
consumer (refunds waiting on the payment gateway) never holds up another (the read model, the
activity log), more worker processes take more of the work, and a process that dies leaves its
claims to the others when their lease ends. Each thread also looks every second, for retries whose
backoff has passed and for work another process left.
"""
import os
import threading
import time

from services.core.cache import get_blocking_redis, key
from astrobookings.jobs.registry import load_jobs
from astrobookings.jobs.scheduler import LeaderScheduler
from services.core.logs import get_logger
from services.core.settings import get_settings

IDLE_WAIT = 1.0
# While commits keep coming, the dispatcher waits this long between rounds, so that one round
# dispatches the events of many commits; after a quiet spell the first nudge is served at once.
DISPATCH_LINGER = 0.005
_log = get_logger("relay")
_stopping = threading.Event()  # set on stop: ends the lease renewer's wait at once


def start() -> LeaderScheduler:
    from services.kernel import relay

    load_jobs()
    _stopping.clear()
    scheduler = LeaderScheduler()
    scheduler.start()
    _thread(_dispatch, scheduler, "outbox-dispatch")
    for consumer in relay.consumers():
        _thread(_deliver, scheduler, f"outbox-{consumer.name}", consumer.name)
    _thread(_send_mail, scheduler, "notify-sender")
    _thread(_renew_leases, scheduler, "outbox-leases")
    scheduler.wake_companions.append(lambda: _wake_all(relay))
    return scheduler


def _wake_all(relay) -> None:
    """On stop: end every wait at once (the nudge list's too), so shutdown takes milliseconds."""
    from services.kernel.outbox import nudge
    from services.notify import sender

    for consumer in relay.consumers():
        relay.wake_event(consumer.name).set()
    sender.wake.set()
    _stopping.set()
    nudge()


# In a process that also serves pages and the API (role `all`), the background threads run at a
# lower CPU priority (Linux nice, per thread): a burst of background work (receipts to render,
# cards to project) then waits for the requests instead of slowing them. A worker-role process
# serves nothing else, and keeps normal priority.
BACKGROUND_NICE = 10


def _thread(target, scheduler: LeaderScheduler, name: str, *args) -> None:
    def run(*run_args) -> None:
        if get_settings().process_role == "all":
            _lower_priority()
        target(*run_args)
    thread = threading.Thread(target=run, args=(scheduler, *args), daemon=True, name=name)
    scheduler.companions.append(thread)  # joined by scheduler.stop(): a clean shutdown drains them
    thread.start()


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass  # not Linux, or not allowed: the same work at the same priority


def _dispatch(scheduler: LeaderScheduler) -> None:
    """Wait for a commit's nudge (or a second), then pump and dispatch. Waiting on the list in this
    very thread saves a hand-off between threads on the read model's path."""
    from services.kernel import relay
    from services.kernel.outbox import NUDGE_KEY

    redis = get_blocking_redis(IDLE_WAIT)
    while scheduler.running:
        try:
            redis.blpop([key(*NUDGE_KEY)], timeout=IDLE_WAIT)
        except Exception:
            time.sleep(IDLE_WAIT)  # Redis is down: the relay still looks every second
        if not scheduler.running:
            continue
        try:
            if relay.dispatch_until_idle():
                time.sleep(DISPATCH_LINGER)
        except Exception:
            _log.exception("relay step failed", extra={"fields": {"step": "dispatch"}})
            time.sleep(IDLE_WAIT)


def _deliver(scheduler: LeaderScheduler, name: str) -> None:
    from services.kernel import relay

    _loop(scheduler, relay.wake_event(name), lambda: relay.deliver_until_idle(name), name)


def _send_mail(scheduler: LeaderScheduler) -> None:
    """Every worker process sends email, woken when its process wrote notifications; it also looks
    every second for retries whose time has come and for sends a dead process left `sending`."""
    from services.notify import sender

    _loop(scheduler, sender.wake, sender.send_until_idle, "notify-sender")
    sender.close()  # this thread owned the process's SMTP connection


def _renew_leases(scheduler: LeaderScheduler) -> None:
    """Keep what this process's consumers hold while they work on it (one statement a round)."""
    from services.kernel import relay

    every = relay.LEASE.total_seconds() / 3
    while scheduler.running:
        _stopping.wait(every)
        if not scheduler.running:
            return
        try:
            relay.renew_leases()
        except Exception:
            _log.warning("lease renewal failed", exc_info=True)


def _loop(scheduler: LeaderScheduler, woken: threading.Event, work, what: str) -> None:
    while scheduler.running:
        woken.wait(IDLE_WAIT)
        if not scheduler.running:
            continue
        try:
            work()  # clears `woken` itself before it looks for work
        except Exception:
            _log.exception("relay step failed", extra={"fields": {"step": what}})
            time.sleep(IDLE_WAIT)
