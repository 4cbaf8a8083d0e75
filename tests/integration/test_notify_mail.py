"""Notifications sent through a real SMTP server on loopback (aiosmtpd, tests/stack.py): who hears
what, exactly once, through outages, bounces, replays and crashed sends."""
from tests.agency_helpers import future
from tests.booking_helpers import book, passengers, published_launch
from tests.helpers import PASSWORD, login, register_body
from tests.notify_helpers import body_of, deliver_mail, later, mail_to, notifications


def _traveler(api, local: str = "traveler"):
    import uuid

    body = register_body(f"{local}-{uuid.uuid4().hex[:8]}@example.com", name="Ada <b>Lovelace</b>")
    assert api.post("/api/auth/register", json=body).status_code == 201
    return body["email"], login(api, body["email"], PASSWORD)


def test_a_booking_emails_the_traveler_and_the_agency(api, mailbox):
    launch = published_launch(api, capacity=6)
    email, headers = _traveler(api)
    people = passengers(2)
    people[0]["name"] = "Grace <script>Hopper</script>"
    response = book(api, headers, launch["id"], people=people)
    assert response.status_code == 201, response.text
    deliver_mail()
    mine = mail_to(mailbox, email, "Booking confirmed")
    assert len(mine) == 1
    text, html = body_of(mine[0]), body_of(mine[0], "html")
    assert "Grace <script>Hopper</script>" in text and "Passenger 2" in text and "$500,000.00" in text
    assert f"http://localhost:3000/launches/{launch['slug']}" in text
    assert "<script>" not in html and "Grace &lt;script&gt;Hopper&lt;/script&gt;" in html
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in html
    assert mine[0]["Message-ID"].startswith("<n") and mine[0]["Message-ID"].endswith("@astrobookings.example>")
    agency = [m for m in mailbox.to("ops@test-orbital.example") if f"#{response.json()['id']}:" in body_of(m)]
    assert len(agency) == 1 and "Seats left: 4 of 6" in body_of(agency[0])
    [doc] = notifications(to=email, kind="booking_confirmed")
    assert doc["status"] == "sent" and [a["outcome"] for a in doc["attempts"]] == ["sent"]


def test_a_delay_reaches_every_traveler_of_the_launch_once(api, mailbox):
    launch = published_launch(api, capacity=10)
    (one, h1), (two, h2), (other, h3) = _traveler(api), _traveler(api), _traveler(api)
    assert book(api, h1, launch["id"], seats=1).status_code == 201
    assert book(api, h1, launch["id"], seats=1).status_code == 201  # two bookings, one email
    assert book(api, h2, launch["id"], seats=2).status_code == 201
    elsewhere = published_launch(api)
    assert book(api, h3, elsewhere["id"], seats=1).status_code == 201
    deliver_mail()
    moved = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                     json={"status": "delayed", "date": future(420), "reason": "Range weather"})
    assert moved.status_code == 200, moved.text
    deliver_mail()
    deliver_mail()  # a second round finds nothing more to send
    for address in (one, two):
        [delayed] = mail_to(mailbox, address, "Launch delayed")
        assert "Range weather" in body_of(delayed)
    assert mail_to(mailbox, other, "Launch delayed") == []
    receipts = [m for m in mailbox.to("ops@test-orbital.example") if launch["slug"] and "Delayed" in m["Subject"]
                and "2 traveler(s) are told" in body_of(m)]
    assert len(receipts) >= 1


def test_a_new_launch_reaches_the_vips_and_nobody_else_and_unsubscribing_works(api, mailbox):
    vip, vip_headers = _traveler(api, "vip")
    plain, plain_headers = _traveler(api, "plain")
    for _ in range(2):
        assert book(api, vip_headers, published_launch(api)["id"], seats=1).status_code == 201
    assert book(api, plain_headers, published_launch(api)["id"], seats=1).status_code == 201
    deliver_mail()
    import uuid
    rocket = f"Vipstar {uuid.uuid4().hex[:6]}"
    fresh = published_launch(api, rocket=rocket)
    deliver_mail()
    [news] = mail_to(mailbox, vip, f"New launch: {rocket}")
    assert f"http://localhost:3000/launches/{fresh['slug']}" in body_of(news)
    assert mail_to(mailbox, plain, "New launch") == []
    before = len(mail_to(mailbox, vip, "New launch"))
    from sqlalchemy import text

    from services.core.db import get_engine
    event_id = notifications(to=vip, kind="new_launch")[0]["source_event_id"]
    recipients = {d["to"] for d in notifications(source_event_id=event_id)}
    with get_engine().connect() as conn:
        trips = dict(conn.execute(text("select traveler_email, count(distinct launch_id) from booking "
                                       "where status = 'confirmed' group by traveler_email")).all())
    assert recipients and all(trips.get(r, 0) >= 2 for r in recipients)

    link = news["List-Unsubscribe"].strip("<>")
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and link in body_of(news)
    path = link.replace("http://localhost:3000", "")
    forged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert api.get(forged).status_code == 400
    assert api.get(path).status_code == 200  # no sign-in
    assert api.post(path).status_code == 200  # one click again: still fine
    published_launch(api, rocket="Afterwards")
    assert book(api, vip_headers, published_launch(api)["id"], seats=1).status_code == 201
    deliver_mail()
    assert len(mail_to(mailbox, vip, "New launch")) == before  # no more marketing...
    assert len(mail_to(mailbox, vip, "Booking confirmed")) == 3  # ...but booking mail still comes


def test_smtp_down_for_a_while_then_back_every_email_arrives_once(api, mailbox, stack):
    launch = published_launch(api, capacity=20)
    travelers = [_traveler(api) for _ in range(3)]
    stack.stop_smtp()
    try:
        for _email, headers in travelers:
            assert book(api, headers, launch["id"], seats=1).status_code == 201
        first = deliver_mail()
        assert first["sent"] == 0 and first["retry"] >= 3
        assert deliver_mail(later(5))["sent"] == 0  # not due yet: the first retry waits 10 s
        second = deliver_mail(later(11))
        assert second["sent"] == 0 and second["retry"] >= 3
    finally:
        stack.start_smtp()
    third = deliver_mail(later(45))
    assert third["sent"] >= 3
    deliver_mail(later(3600))  # every retry due by then: still nothing twice
    for email, _headers in travelers:
        assert len(mail_to(mailbox, email, "Booking confirmed")) == 1
        [doc] = notifications(to=email, kind="booking_confirmed")
        assert [a["outcome"] for a in doc["attempts"]] == ["retry", "retry", "sent"]
        assert "ConnectionRefusedError" in doc["attempts"][0]["detail"]


def test_the_kept_connection_is_reopened_when_the_server_dropped_it_without_spending_an_attempt(api, mailbox, stack):
    from services.notify import sender

    launch = published_launch(api, capacity=4)
    (first, h1), (second, h2) = _traveler(api), _traveler(api)
    assert book(api, h1, launch["id"], seats=1).status_code == 201
    deliver_mail()
    kept = sender._connection.smtp
    assert kept is not None and len(mail_to(mailbox, first, "Booking confirmed")) == 1
    stack.stop_smtp()  # a restart: the server drops every open connection
    stack.start_smtp()
    assert book(api, h2, launch["id"], seats=1).status_code == 201
    deliver_mail()
    assert len(mail_to(mailbox, second, "Booking confirmed")) == 1
    assert sender._connection.smtp is not kept  # a new one, kept in turn
    [doc] = notifications(to=second, kind="booking_confirmed")
    assert [a["outcome"] for a in doc["attempts"]] == ["sent"]  # the stale connection cost no attempt


def test_a_550_fails_at_once_and_a_451_is_retried(api, mailbox):
    launch = published_launch(api)
    bounce, h1 = _traveler(api, "bounce")
    busy, h2 = _traveler(api, "busy")
    assert book(api, h1, launch["id"], seats=1).status_code == 201
    assert book(api, h2, launch["id"], seats=1).status_code == 201
    deliver_mail()
    [failed] = notifications(to=bounce, kind="booking_confirmed")
    assert failed["status"] == "failed" and failed["attempts"][0]["outcome"] == "failed"
    assert "550" in failed["attempts"][0]["detail"] and "No such mailbox" in failed["attempts"][0]["detail"]
    [waiting] = notifications(to=busy, kind="booking_confirmed")
    assert waiting["status"] == "pending" and "451" in waiting["attempts"][0]["detail"]
    # the schedule runs out: 10 s, 30 s, 1 min, 5 min, 15 min, then failed
    for seconds in (11, 45, 110, 420, 1400):
        deliver_mail(later(seconds))
    [gave_up] = notifications(to=busy, kind="booking_confirmed")
    assert gave_up["status"] == "failed" and len(gave_up["attempts"]) == 6
    assert mail_to(mailbox, bounce) == [] and mail_to(mailbox, busy) == []


def test_a_replayed_event_makes_no_second_email(api, mailbox):
    from sqlmodel import select

    from services.core.db import read_session
    from services.core.models.outbox import OutboxEvent
    from services.kernel.relay import envelope
    from services.notify.consumers import notify

    launch = published_launch(api)
    email, headers = _traveler(api)
    booking = book(api, headers, launch["id"], seats=1).json()
    deliver_mail()
    with read_session() as session:
        row = session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "booking.confirmed",
                                                     OutboxEvent.aggregate_id == str(booking["id"]))).one()
        replay = envelope(row)
    notify([replay])
    notify([replay])
    deliver_mail(later(60))
    assert len(mail_to(mailbox, email, "Booking confirmed")) == 1
    assert len(notifications(to=email, kind="booking_confirmed")) == 1


def test_a_send_interrupted_mid_way_is_sent_again_with_the_same_message_id(api, mailbox):
    from services.notify import store

    launch = published_launch(api)
    email, headers = _traveler(api)
    book(api, headers, launch["id"], seats=1)
    from tests.helpers import drain_outbox
    drain_outbox()
    [doc] = notifications(to=email, kind="booking_confirmed")
    # A sender claimed it and died: nothing answers for it.
    store.collection().update_one({"_id": doc["_id"]}, {"$set": {"status": "sending", "sending_since": later(-1)}})
    assert deliver_mail()["sent"] == 0 or mail_to(mailbox, email) == []  # not yet: within the timeout
    assert mail_to(mailbox, email) == []
    counts = deliver_mail(later(180))
    assert counts["recovered"] >= 1
    [sent] = mail_to(mailbox, email, "Booking confirmed")
    assert sent["Message-ID"] == doc["message_id"]
    [after] = notifications(to=email, kind="booking_confirmed")
    assert [a["outcome"] for a in after["attempts"]] == ["interrupted", "sent"]


def test_an_issued_invoice_reaches_the_agency_with_its_pdf(api, mailbox):
    from tests.finance_helpers import ended_launch, invoices_of

    headers, launch = ended_launch(api)
    [invoice] = invoices_of(api, headers, launch["id"])
    deliver_mail()
    found = [m for m in mailbox.to("ops@test-orbital.example") if invoice["number"] in (m["Subject"] or "")]
    assert len(found) == 1
    pdfs = [p for p in found[0].walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_filename() == f"{invoice['number']}.pdf"
    assert pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    # the launch's travelers heard it launched
    assert all(len(mail_to(mailbox, f"buyer{n}-{launch['id']}@example.com", "Lift-off")) == 1 for n in range(2))
