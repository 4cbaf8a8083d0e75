"""PROCESS_ROLE=worker: run only the scheduler (outbox relay, emails, reconciliation), no web.

`python -m astrobookings.worker`. Web processes then run with PROCESS_ROLE=web.
"""
import signal
import threading

from services.core import logs, mongo
from astrobookings.jobs import runtime
from services.core.settings import get_settings


def main() -> None:
    settings = get_settings()
    settings.check_secrets()
    logs.configure(settings.log_level)
    mongo.ensure_indexes()
    scheduler = runtime.start()
    from services.core import heartbeat
    beating = heartbeat.start("worker", settings.build_version, lambda: scheduler.is_leader)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    beating.set()
    scheduler.stop()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the handlers above were set: stopping while starting is no error
