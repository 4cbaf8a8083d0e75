"""Email latency and sender throughput, on real stores and a real SMTP server on loopback (aiosmtpd).

1. Latency: 100 bookings made one after another through the booking service, with the scheduler
   running as in production (the commit nudges the relay, the notify consumer writes the
   notifications and wakes the sender). Measured from the moment the booking call returns (its
   confirmation has committed) to the traveler's email arriving at the SMTP server.
2. Throughput: N notifications queued at once, sent by the sender's rounds (claim a batch, send
   over the process's kept connection, record the batch's sends in one write), in emails per
   second; baseline, same run and same server: the same stored messages sent by a bare smtplib
   loop over one connection (the server's own rate). Each email is built when its notification is
   written (services/notify/mime.py), so neither side builds MIME while the clock runs.

    .venv/bin/python -m bench.notify_latency [bookings] [emails]
"""
import os
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

from bench.backend import figures, stores, wait_until

DEADLINE_S = 15.0


class Arrivals:
    """The SMTP server's handler for this run: when each recipient's mail arrived."""
    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        with self.lock:
            self.count += 1
            for rcpt in envelope.rcpt_tos:
                self.at.setdefault(rcpt.lower(), now)
        return "250 OK"


def main(bookings: int = 100, emails: int = 1000) -> int:
    arrivals = Arrivals()
    with stores(mailbox=arrivals):
        return _run(arrivals, bookings, emails)


def _run(arrivals: "Arrivals", bookings: int, emails: int) -> int:
    from astrobookings.jobs import runtime
    from services.agency import launches, rockets
    from services.agency import profile as agencies
    from services.booking import bookings as booking_service
    from services.kernel.actor import Actor

    scheduler = runtime.start()
    try:
        agency = Actor(user_id="bench-agency", email="bench@agency.example", role="agency", name="Bench", entry_point="job")
        agencies.update_profile(agency, {"name": "Bench Agency", "tax_id": "VAT-BENCH", "legal_address": "1 Bench Road, Nowhere",
                                         "contact_email": "ops@bench-agency.example"})
        rocket = rockets.create_rocket(agency, {"name": "Mailer", "capacity": 100, "range": "interplanetary"})
        date = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=200)
        wait_until(lambda: scheduler.is_leader, "scheduler leadership")
        lags = []
        launch = None
        for n in range(bookings):
            if n % 100 == 0:
                launch = launches.schedule_launch(agency, {"rocket_id": rocket.id, "spaceport": "kourou",
                                                           "destination": "moon", "date": date + timedelta(days=n),
                                                           "price_cents": 1_000_000})
            email = f"traveler{n}@bench.example"
            traveler = Actor(user_id=f"bench-traveler-{n}", email=email, role="traveler", name=f"T {n}", entry_point="api")
            booking_service.create_booking(traveler, {
                "launch_id": launch.id, "payment": {"card_number": "4242424242424242"},
                "passengers": [{"name": f"Passenger {n}", "email": email, "phone": "+1 555 0100", "birth_date": "1985-05-17"}]})
            committed = time.perf_counter()
            wait_until(lambda: email in arrivals.at, f"the email to {email}", DEADLINE_S, 0.0005)
            lags.append((arrivals.at[email] - committed) * 1000)
    finally:
        scheduler.stop()

    sender_rate, bare_rate, sent = _throughput(arrivals, emails)
    print(f"booking commit -> traveler's email at the SMTP server ({bookings} bookings, one at a time)")
    print(figures("latency: commit -> email at SMTP", lags))
    print(f"sender throughput: {sent} emails in rounds of 100 -> {sender_rate:8.1f} emails/s")
    print(f"baseline, bare smtplib loop, same server, same messages -> {bare_rate:8.1f} emails/s "
          f"(sender at {sender_rate / bare_rate:.0%} of it)")
    return 0


def _throughput(arrivals: Arrivals, count: int) -> tuple[float, float, int]:
    from email.utils import parseaddr

    from services.notify import sender, store
    from services.notify.audience import Draft, Recipient

    base = arrivals.count
    notes = [store.build(Draft(Recipient(f"load{n}@bench.example", f"u{n}"), "refund_paid", {
        "booking_id": n, "amount": "$1.00", "launch": {"name": "Load test", "date": "today", "url": "http://x/launches/y"}}),
        10_000_000 + n, "bench.load", store.now()) for n in range(count)]
    store.insert(notes)
    t0 = time.perf_counter()
    sent = 0
    while True:
        counts = sender.send_due()
        sent += counts["sent"]
        if counts["sent"] + counts["retry"] + counts["failed"] == 0:
            break
    sender_s = time.perf_counter() - t0
    wait_until(lambda: arrivals.count >= base + sent, "the sender's emails")

    mail_from = os.environ.get("MAIL_FROM") or "AstroBookings <no-reply@astrobookings.example>"
    docs = list(store.collection().find({"source_event_type": "bench.load"}))
    messages = [bytes(d["raw"]) for d in docs]  # the very bytes the sender sent
    base = arrivals.count
    t0 = time.perf_counter()
    smtp = sender.connect()
    for d, m in zip(docs, messages):
        smtp.sendmail(parseaddr(mail_from)[1], [d["to"]], m)
    smtp.quit()
    bare_s = time.perf_counter() - t0
    wait_until(lambda: arrivals.count >= base + len(messages), "the bare loop's emails")
    return sent / sender_s, len(messages) / bare_s, sent


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))
