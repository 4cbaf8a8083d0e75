"""Pure rules of notifications: who hears what for each event, templates escaping hostile names,
the retry schedule, SMTP failure classes, and the unsubscribe token's signature."""
import smtplib
from datetime import datetime, timedelta, timezone

import pytest

from services.agency.events import LaunchAborted, LaunchDelayed, LaunchLaunched, LaunchScheduled
from services.booking.events import BookingCancelled, BookingConfirmed, RefundPaid
from services.finance.events import InvoiceIssued, InvoiceOverdue, PaymentRecorded
from services.kernel.events import Envelope
from services.notify import rules, templates
from services.notify.audience import BookingInfo, LaunchInfo, Recipient, drafts

NOW = datetime(2027, 3, 1, tzinfo=timezone.utc)
ANN = Recipient("ann@example.com", "u-ann", "Ann")
BOB = Recipient("bob@example.com", "u-bob", "Bob")
AGENCY = Recipient("ops@agency.example", "u-agency", "Agency")
VIP = Recipient("vip@example.com", "u-vip", "Vip")


class FakeFacts:
    def launch(self, launch_id):
        return LaunchInfo(launch_id, "Hopper to Moon from Kourou", "2027-03-14-hopper-kourou-to-moon", NOW, 6, 3, 7)

    def booking(self, booking_id):
        return BookingInfo(booking_id, 1, ANN if booking_id == 10 else BOB, 2, 50_000, ["P One", "P Two"])

    def travelers_of(self, launch_id):
        return [ANN, BOB, ANN]

    def bookings_on(self, launch_id):
        return [BookingInfo(10, launch_id, ANN, 1, 25_000), BookingInfo(11, launch_id, BOB, 1, 25_000),
                BookingInfo(12, launch_id, ANN, 1, 25_000)]

    def agency(self, agency_id):
        return AGENCY

    def vips(self):
        return [VIP]


def _env(event, role="agency") -> Envelope:
    return Envelope(1, event.event_type, event, event.aggregate, event.aggregate_id(), 1, "u-x", "x@example.com",
                    role, "web", None, NOW)


def _who(event, role="agency"):
    return sorted((d.to.email, d.kind) for d in drafts(_env(event, role), FakeFacts(), "https://astro.example"))


LAUNCH = {"launch_id": 1, "agency_id": 7, "slug": "s"}


@pytest.mark.parametrize("event, role, expected", [
    (BookingConfirmed(booking_id=10, launch_id=1, seats=2, amount_cents=50_000, payment_ref="p"), "traveler",
     [("ann@example.com", "booking_confirmed"), ("ops@agency.example", "agency_booking")]),
    (BookingCancelled(booking_id=10, launch_id=1, seats=2, refund_cents=25_000, refund_percent=50, seats_returned=True),
     "traveler", [("ann@example.com", "booking_cancelled"), ("ops@agency.example", "agency_cancellation")]),
    (RefundPaid(refund_id=1, booking_id=10, launch_id=1, amount_cents=1, gateway_ref="g"), "system",
     [("ann@example.com", "refund_paid")]),
    (LaunchDelayed(**LAUNCH, from_status="scheduled", old_date="2027-03-14T14:00:00+00:00",
                   date="2027-04-14T14:00:00+00:00", reason="wind"), "agency",
     [("ann@example.com", "launch_delayed"), ("bob@example.com", "launch_delayed"), ("ops@agency.example", "status_receipt")]),
    (LaunchAborted(**LAUNCH, from_status="scheduled", reason="technical", cancelled_booking_ids=[10, 11]), "agency",
     [("ann@example.com", "launch_aborted"), ("bob@example.com", "launch_aborted"), ("ops@agency.example", "status_receipt")]),
    (LaunchLaunched(**LAUNCH, from_status="scheduled"), "system",
     [("ann@example.com", "launch_launched"), ("bob@example.com", "launch_launched")]),
    (LaunchScheduled(**LAUNCH, date="2027-03-14", destination="moon", spaceport="kourou"), "agency",
     [("vip@example.com", "new_launch")]),
    (InvoiceIssued(invoice_id=3, number="2027-0001", kind="launch_fee", launch_id=1, agency_id=7, total_cents=9),
     "system", [("ops@agency.example", "invoice_issued")]),
    (InvoiceOverdue(invoice_id=3, number="2027-0001", agency_id=7, days_late=7, due_date="2027-03-01"), "system",
     [("ops@agency.example", "invoice_overdue")]),
    (PaymentRecorded(payment_id=1, invoice_id=3, number="2027-0001", agency_id=7, amount_cents=9, method="transfer"),
     "finance", [("ops@agency.example", "payment_received")]),
])
def test_who_hears_what(event, role, expected):
    assert _who(event, role) == expected


def test_new_launch_mail_is_marketing_and_invoices_carry_their_pdf():
    [news] = drafts(_env(LaunchScheduled(**LAUNCH, date="d", destination="moon", spaceport="kourou")), FakeFacts(), "https://a")
    assert news.marketing and news.context["launch"]["url"] == "https://a/launches/2027-03-14-hopper-kourou-to-moon"
    [invoice] = drafts(_env(InvoiceIssued(invoice_id=3, number="N", kind="launch_fee", launch_id=1, agency_id=7,
                                          total_cents=9)), FakeFacts(), "https://a")
    assert invoice.attach_invoice_id == 3 and not invoice.marketing


def test_the_confirmation_says_what_cancelling_refunds_from_the_day_it_was_booked():
    # FakeFacts' launch is on NOW; booked 100 days before it, only the 70% tier is still ahead.
    booked = NOW - timedelta(days=100)
    env = Envelope(1, "booking.confirmed", BookingConfirmed(booking_id=10, launch_id=1, seats=2, amount_cents=50_000,
                                                            payment_ref="p"), "booking", 10, 1, "u-ann", "ann@example.com",
                   "traveler", "web", None, booked)
    [mail] = [d for d in drafts(env, FakeFacts(), "https://a") if d.kind == "booking_confirmed"]
    assert mail.context["refund_terms"][0] == (
        "Cancelling now refunds 70% of what you paid, until 1 December 2026, 00:00 UTC (3 months before the launch).")
    rendered = templates.render("booking_confirmed", mail.context)
    assert "until 1 December 2026" in rendered.text and "until 1 December 2026" in rendered.html
    assert "90%" not in rendered.text


def test_every_kind_the_rules_make_has_a_template():
    assert {"booking_confirmed", "booking_cancelled", "refund_paid", "launch_delayed", "launch_aborted",
            "launch_launched", "launch_failed", "agency_booking", "agency_cancellation", "status_receipt",
            "invoice_issued", "invoice_overdue", "payment_received", "new_launch"} <= set(templates.KINDS)


def test_hostile_names_are_escaped_in_html_and_kept_as_text():
    hostile = '<img src=x onerror="alert(1)">'
    rendered = templates.render("booking_confirmed", {
        "name": hostile, "booking_id": 1, "launch": {"name": "A & B", "date": "d", "url": "https://a/launches/x"},
        "seats": 1, "passengers": [hostile], "amount": "$1.00", "refund_terms": [hostile],
        "booking_url": "https://a/traveler/bookings/1/receipt"})
    assert "<img" not in rendered.html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in rendered.html
    assert hostile in rendered.text and rendered.subject == "Booking confirmed: A & B"


def test_a_subject_stays_one_line():
    rendered = templates.render("invoice_overdue", {"number": "N\r\nBcc: evil@example.com", "days_late": 7, "due_date": "d"})
    assert "\n" not in rendered.subject and "\r" not in rendered.subject


def test_the_backoff_schedule_then_failed():
    delays = [rules.next_attempt(n, NOW) for n in range(1, 7)]
    assert [(d - NOW).total_seconds() if d else None for d in delays] == [10, 30, 60, 300, 900, None]


@pytest.mark.parametrize("exc, permanent", [
    (ConnectionRefusedError(111, "refused"), False),
    (smtplib.SMTPServerDisconnected("gone"), False),
    (smtplib.SMTPResponseException(451, b"busy"), False),
    (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such mailbox")}), True),
    (smtplib.SMTPDataError(554, b"rejected"), True),
    (TimeoutError(), False),
])
def test_5xx_is_permanent_the_rest_is_retried(exc, permanent):
    assert rules.is_permanent(exc) is permanent


def test_ids_and_message_ids_are_stable_per_event_kind_and_recipient():
    a = rules.notification_id(5, "booking_confirmed", "Ann@Example.com")
    assert a == rules.notification_id(5, "booking_confirmed", "ann@example.com")
    assert a != rules.notification_id(6, "booking_confirmed", "ann@example.com")
    assert rules.message_id(a, "AstroBookings <no-reply@astro.example>") == f"<{a}@astro.example>"


def test_the_unsubscribe_token_is_signed():
    key = rules.unsubscribe_key("secret-" * 6)
    token = rules.unsubscribe_token("u-123", key)
    assert rules.unsubscribe_user(token, key) == "u-123"
    who, signature = token.split(".")
    other = rules.unsubscribe_token("u-456", key).split(".")[0]
    assert rules.unsubscribe_user(f"{other}.{signature}", key) is None  # another user with my signature
    assert rules.unsubscribe_user(token, rules.unsubscribe_key("another-" * 6)) is None  # another install's key
    assert rules.unsubscribe_user("garbage", key) is None and rules.unsubscribe_user("a.b.c", key) is None
    assert rules.unsubscribe_key("s" * 40) != rules.unsubscribe_key("t" * 40)
    assert timedelta(minutes=1) < rules.SENDING_TIMEOUT
