"""A worker process for the multi-process relay tests: the production runtime (every consumer, the
email sender, the lease renewer; timed jobs on whichever process leads) plus one test consumer,
`test-effects`, which writes a row per event it runs into `relay_effect` with no key at all, so a
delivery run twice shows as two rows. Its work takes RELAY_TEST_WORK_MS per event (a slow side
effect, so that a kill can land mid-batch); RELAY_TEST_ORDERED=1 registers it as ordered.

    python -m tests.relay_worker      (prints "ready <identity>" once it runs)
"""
import os
import signal
import threading

from sqlalchemy import text

from services.core import logs
from services.core.db import one_statement
from services.kernel import relay
from services.kernel.events import Envelope, Event

WORK_S = float(os.environ.get("RELAY_TEST_WORK_MS", "0")) / 1000
ORDERED = os.environ.get("RELAY_TEST_ORDERED") == "1"


class Ticked(Event):
    event_type = "test.ticked"
    aggregate = "ticker"
    aggregate_key = "ticker_id"
    ticker_id: int
    n: int


def record_effects(batch: list[Envelope]) -> None:
    """Event by event, as a consumer with a side effect per event works."""
    with one_statement() as conn:
        for e in batch:
            if WORK_S:
                conn.execute(text("select pg_sleep(:s)"), {"s": WORK_S})
            conn.execute(text("insert into relay_effect (event_id, ticker_id, n, worker) values (:id, :ticker, :n, :me)"),
                         {"id": e.id, "ticker": e.event.ticker_id, "n": e.event.n, "me": relay.IDENTITY})


def main() -> None:
    from astrobookings.jobs import runtime

    logs.configure("WARNING")
    relay.consumer("test-effects", "test.ticked", batch=True, batch_size=20, ordered=ORDERED)(record_effects)
    scheduler = runtime.start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print("ready", relay.IDENTITY, flush=True)
    stop.wait()
    scheduler.stop()


if __name__ == "__main__":
    main()
