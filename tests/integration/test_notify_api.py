"""The notification queue for IT (REST), the in-app inbox, and who may call which route."""
import pytest

from tests.booking_helpers import book, published_launch
from tests.helpers import demo_login, new_account, new_traveler
from tests.notify_helpers import deliver_mail, later, notifications


def _booked(api, email_prefix: str | None = None):
    launch = published_launch(api)
    if email_prefix:
        import uuid

        from tests.helpers import PASSWORD, login, register_body
        body = register_body(f"{email_prefix}-{uuid.uuid4().hex[:8]}@example.com")
        assert api.post("/api/auth/register", json=body).status_code == 201
        email, headers = body["email"], login(api, body["email"], PASSWORD)
    else:
        email, headers = new_traveler(api)
    assert book(api, headers, launch["id"], seats=1).status_code == 201
    return email, headers, launch


def test_it_filters_the_queue_opens_one_and_retries_a_failed_one(api, mailbox):
    it = demo_login(api, "it@example.com")
    email, _headers, _launch = _booked(api, "bounce")
    deliver_mail()
    listed = api.get("/api/notifications", headers=it, params={"status": "failed", "recipient": email})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 1 and body["counts"]["failed"] >= 1 and set(body["counts"]) >= {"pending", "sent", "failed"}
    [item] = body["items"]
    assert item["to"] == email and item["kind"] == "booking_confirmed" and item["status"] == "failed"
    assert item["attempts"][0]["outcome"] == "failed" and "550" in item["attempts"][0]["detail"]
    assert isinstance(item["source_event_id"], int) and item["created_at"]
    detail = api.get(f"/api/notifications/{item['id']}", headers=it).json()
    assert "Booking confirmed" in detail["subject"] and "<html>" in detail["html"] and detail["text"]
    assert api.get("/api/notifications", headers=it, params={"kind": "booking_confirmed", "recipient": email}).json()["total"] == 1
    assert api.get("/api/notifications", headers=it, params={"kind": "new_launch", "recipient": email}).json()["total"] == 0
    assert api.get("/api/notifications", headers=it, params={"date": "2001-01-01", "recipient": email}).json()["total"] == 0

    retried = api.patch(f"/api/notifications/{item['id']}", headers=it, json={"status": "pending"})
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    deliver_mail()
    again = notifications(_id=item["id"])[0]
    assert again["status"] == "failed" and [a["outcome"] for a in again["attempts"]] == ["failed", "failed"]
    cancel_failed = api.patch(f"/api/notifications/{item['id']}", headers=it, json={"status": "cancelled"})
    assert cancel_failed.status_code == 409 and cancel_failed.json()["error"]["field"] == "status"
    bad = api.patch(f"/api/notifications/{item['id']}", headers=it, json={"status": "sent"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "status"
    assert api.patch("/api/notifications/nope", headers=it, json={"status": "pending"}).status_code == 404
    from tests.helpers import drain_outbox
    drain_outbox()
    from services.core.mongo import system_db
    assert system_db().entry_logs.count_documents({"action": "notification.retried", "subject": f"notification:{item['id']}"}) == 1


def test_it_cancels_a_pending_one_and_it_is_never_sent(api, mailbox, stack):
    it = demo_login(api, "it@example.com")
    stack.stop_smtp()
    try:
        email, _headers, _launch = _booked(api)
        deliver_mail()
    finally:
        stack.start_smtp()
    [doc] = notifications(to=email, kind="booking_confirmed")
    assert doc["status"] == "pending"
    cancelled = api.patch(f"/api/notifications/{doc['_id']}", headers=it, json={"status": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    deliver_mail(later(3600))
    assert mailbox.to(email) == [] and notifications(_id=doc["_id"])[0]["status"] == "cancelled"


def test_bulk_retry_after_an_outage_sends_every_failed_one_once(api, mailbox, stack):
    it = demo_login(api, "it@example.com")
    stack.stop_smtp()
    try:
        emails = [_booked(api)[0] for _ in range(2)]
        for seconds in (0, 11, 45, 110, 420, 1400):
            deliver_mail(later(seconds))
    finally:
        stack.start_smtp()
    assert all(notifications(to=e, kind="booking_confirmed")[0]["status"] == "failed" for e in emails)
    status = api.get("/api/notifications/status", headers=it).json()
    assert status["smtp_reachable"] is True and status["counts"]["failed"] >= 2
    retried = api.post("/api/notifications/retry-failed", headers=it)
    assert retried.status_code == 200 and retried.json()["retried"] >= 2
    deliver_mail()
    for e in emails:
        assert len(mailbox.to(e)) == 1 and notifications(to=e, kind="booking_confirmed")[0]["status"] == "sent"


def test_the_service_status_reports_an_unreachable_server_as_degraded(api, stack):
    it = demo_login(api, "it@example.com")
    stack.stop_smtp()
    try:
        down = api.get("/api/notifications/status", headers=it).json()
    finally:
        stack.start_smtp()
    assert down["status"] == "degraded" and down["smtp_reachable"] is False and "Connection" in down["smtp_error"]
    up = api.get("/api/notifications/status", headers=it).json()
    assert up["smtp_reachable"] is True and {"queue_depth", "oldest_pending_age_seconds", "sent_last_hour",
                                             "failed_last_hour", "last_sent_at"} <= set(up)


def test_the_inbox_counts_unread_and_marks_read_only_ones_own(api):
    email, headers, _launch = _booked(api)
    deliver_mail()
    inbox = api.get("/api/me/notifications", headers=headers).json()
    assert inbox["unread"] == 1 and inbox["total"] == 1
    [item] = inbox["items"]
    assert item["kind"] == "booking_confirmed" and "attempts" not in item and item["read_at"] is None
    _other, stranger = new_traveler(api)
    assert api.post(f"/api/me/notifications/{item['id']}/read", headers=stranger).status_code == 404
    read = api.post(f"/api/me/notifications/{item['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json()["unread"] == 0
    first = read.json()["read_at"]
    assert api.post(f"/api/me/notifications/{item['id']}/read", headers=headers).json()["read_at"] == first
    assert api.get("/api/me/notifications", headers=headers).json()["unread"] == 0


@pytest.mark.parametrize("role, queue, inbox", [
    ("traveler", 403, 200), ("agency", 403, 200), ("finance", 403, 403), ("it", 200, 403), ("admin", 200, 403),
])
def test_every_route_for_every_role(api, role, queue, inbox):
    _email, headers = new_traveler(api) if role == "traveler" else new_account(api, role)
    assert api.get("/api/notifications", headers=headers).status_code == queue
    assert api.get("/api/notifications/status", headers=headers).status_code == queue
    assert api.post("/api/notifications/retry-failed", headers=headers).status_code == queue
    assert api.get("/api/notifications/none", headers=headers).status_code == (404 if queue == 200 else 403)
    assert api.patch("/api/notifications/none", headers=headers, json={"status": "pending"}).status_code == (
        404 if queue == 200 else 403)
    assert api.get("/api/me/notifications", headers=headers).status_code == inbox
    assert api.post("/api/me/notifications/none/read", headers=headers).status_code == (404 if inbox == 200 else 403)
    assert api.get("/api/notifications").status_code == 401
    assert api.get("/api/me/notifications").status_code == 401


def test_bad_filters_name_the_field(api):
    it = demo_login(api, "it@example.com")
    for params, field in (({"status": "lost"}, "status"), ({"kind": "spam"}, "kind"), ({"date": "yesterday"}, "date"),
                          ({"page": 0}, "page")):
        response = api.get("/api/notifications", headers=it, params=params)
        assert response.status_code == 422 and response.json()["error"]["field"].endswith(field), (params, response.text)
