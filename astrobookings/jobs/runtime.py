"""Start the process's scheduler and, on its leader, the outbox relay's threads.

The relay runs as one thread that pumps and dispatches new events as soon as a commit nudges it
(it waits on the nudges' Redis list, see services/kernel/outbox.py), and one thread per consumer,
woken by the dispatcher when it has new deliveries for it. So a slow or failing consumer (refunds waiting on the payment
gateway) never holds up another (the read model, the activity log), and a wake-up costs a thread
event, not a scheduler round. Each thread also looks every second, for retries whose backoff has
passed and for work another process left.
"""
import threading
import time

from services.core.cache import get_blocking_redis, key
from astrobookings.jobs.registry import load_jobs
from astrobookings.jobs.scheduler import LeaderScheduler
from services.core.logs import get_logger

IDLE_WAIT = 1.0
# While commits keep coming, the dispatcher waits this long between rounds, so that one round
# dispatches the events of many commits; after a quiet spell the first nudge is served at once.
DISPATCH_LINGER = 0.005
_log = get_logger("relay")


def start() -> LeaderScheduler:
    from services.kernel import relay

    load_jobs()
    scheduler = LeaderScheduler()
    scheduler.start()
    _thread(_dispatch, scheduler, "outbox-dispatch")
    for consumer in relay.consumers():
        _thread(_deliver, scheduler, f"outbox-{consumer.name}", consumer.name)
    _thread(_send_mail, scheduler, "notify-sender")
    scheduler.wake_companions.append(lambda: _wake_all(relay))
    return scheduler


def _wake_all(relay) -> None:
    """On stop: end every wait at once (the nudge list's too), so shutdown takes milliseconds."""
    from services.kernel.outbox import nudge
    from services.notify import sender

    for consumer in relay.consumers():
        relay.wake_event(consumer.name).set()
    sender.wake.set()
    nudge()


def _thread(target, scheduler: LeaderScheduler, name: str, *args) -> None:
    thread = threading.Thread(target=target, args=(scheduler, *args), daemon=True, name=name)
    scheduler.companions.append(thread)  # joined by scheduler.stop(): a clean shutdown drains them
    thread.start()


def _dispatch(scheduler: LeaderScheduler) -> None:
    """On the leader: wait for a commit's nudge (or a second), then pump and dispatch. Waiting on
    the list in this very thread saves a hand-off between threads on the read model's path."""
    from services.kernel import relay
    from services.kernel.outbox import NUDGE_KEY

    redis = get_blocking_redis(IDLE_WAIT)
    while scheduler.running:
        if not scheduler.is_leader:
            time.sleep(0.5)
            continue
        try:
            redis.blpop([key(*NUDGE_KEY)], timeout=IDLE_WAIT)
        except Exception:
            time.sleep(IDLE_WAIT)  # Redis is down: the relay still looks every second
        if not (scheduler.running and scheduler.is_leader):
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
    """Email goes out from the leader only, woken when notifications are written; it also looks
    every second for retries whose time has come and for sends a dead leader left `sending`."""
    from services.notify import sender

    _loop(scheduler, sender.wake, sender.send_until_idle, "notify-sender")


def _loop(scheduler: LeaderScheduler, woken: threading.Event, work, what: str) -> None:
    while scheduler.running:
        if not scheduler.is_leader:
            time.sleep(0.5)
            continue
        woken.wait(IDLE_WAIT)
        if not (scheduler.running and scheduler.is_leader):
            continue
        try:
            work()  # clears `woken` itself before it looks for work
        except Exception:
            _log.exception("relay step failed", extra={"fields": {"step": what}})
            time.sleep(IDLE_WAIT)
