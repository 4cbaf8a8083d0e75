"""A traveler books, sees the bell count rise and reads the notification; IT filters the queue,
opens an email and retries a failed one. The production server's own scheduler relays the events
and sends the emails to the test SMTP server."""
import re
import time
import uuid

from playwright.sync_api import expect

from tests.booking_helpers import book, published_launch
from tests.e2e.flows import sign_in
from tests.helpers import PASSWORD, login, register_body


def _traveler(api, local: str):
    body = register_body(f"{local}-{uuid.uuid4().hex[:8]}@example.com")
    assert api.post("/api/auth/register", json=body).status_code == 201
    return body["email"], login(api, body["email"], PASSWORD)


def _status_of(email: str) -> str | None:
    from services.notify import store

    doc = store.collection().find_one({"to": email, "kind": "booking_confirmed"})
    return doc["status"] if doc else None


def _wait(check, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_traveler_sees_the_bell_rise_and_reads_the_notification(page, api, mailbox):
    email, headers = _traveler(api, "e2e-bell")
    sign_in(page, email, PASSWORD)
    expect(page.locator("#bell-count")).to_have_text("0")
    launch = published_launch(api)
    assert book(api, headers, launch["id"], seats=1).status_code == 201
    _wait(lambda: _status_of(email) == "sent", "the confirmation email")
    assert len(mailbox.to(email)) == 1
    page.goto("/traveler")
    expect(page.locator("#bell-count")).to_have_text("1")
    page.click("#bell")
    expect(page).to_have_url(re.compile(r"/notifications$"))
    item = page.locator(".inbox-item").first
    expect(item).to_contain_text("Booking confirmed")
    item.locator(".mark-read").click()
    expect(page.locator("#inbox-unread")).to_contain_text("0 unread")
    page.reload()
    expect(page.locator("#bell-count")).to_have_text("0")


def test_it_filters_the_queue_opens_an_email_and_retries_a_failed_one(page, api):
    email, headers = _traveler(api, "bounce-e2e")
    launch = published_launch(api)
    assert book(api, headers, launch["id"], seats=1).status_code == 201
    _wait(lambda: _status_of(email) == "failed", "the bounced email to fail")
    sign_in(page, "it@example.com")
    page.goto("/it/notifications")
    expect(page.locator("#portal-title")).to_have_text("Notification queue")
    page.fill("#recipient", email)
    page.click("#search-notifications")
    expect(page.locator("#notification-count")).to_contain_text("1 notification")
    row = page.locator(".notification-row").first
    expect(row).to_contain_text("failed")
    row.get_by_role("button", name="Open").click()
    expect(page.locator("#open-subject")).to_contain_text("Booking confirmed")
    expect(page.locator(".attempt").first).to_contain_text("550")
    expect(page.frame_locator("#open-html").locator("body")).to_contain_text("is confirmed")
    page.click("#retry-open")
    expect(page.locator("#form-success")).to_contain_text("sent again")
    # The server's sender tries it again at once: the bounce fails it a second time.
    _wait(lambda: _attempts(email) == 2, "the retried attempt")


def _attempts(email: str) -> int:
    from services.notify import store

    doc = store.collection().find_one({"to": email, "kind": "booking_confirmed"})
    return len(doc["attempts"]) if doc and doc["status"] == "failed" else 0
