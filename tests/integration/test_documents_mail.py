"""What travelers and agencies keep, through the real stores and a real SMTP server (aiosmtpd):
the confirmation carries the receipt PDF, the launch as an iCalendar event and the refund dates;
a delay sends the same event moved (same UID, higher SEQUENCE), an abort withdraws it
(METHOD:CANCEL); the invoice PDF has each line's description and amount on one row and says
where to pay."""
import io
import uuid
from datetime import datetime

from icalendar import Calendar
from pypdf import PdfReader

from services.core.formatting import human_date, usd
from services.core.models.reference import SPACEPORTS
from services.core.settings import get_settings
from services.booking.rules import months_before
from tests.agency_helpers import future
from tests.booking_helpers import book, passengers, published_launch
from tests.finance_helpers import ended_launch, invoices_of
from tests.helpers import PASSWORD, demo_login, login, register_body
from tests.notify_helpers import body_of, deliver_mail, mail_to


def _traveler(api):
    body = register_body(f"keeper-{uuid.uuid4().hex[:8]}@example.com", name="Kit Keeper")
    assert api.post("/api/auth/register", json=body).status_code == 201
    return body["email"], login(api, body["email"], PASSWORD)


def _parts(message, content_type: str) -> list:
    return [p for p in message.walk() if p.get_content_type() == content_type]


def _event(message):
    [part] = _parts(message, "text/calendar")
    cal = Calendar.from_ical(part.get_payload(decode=True))
    assert part.get_param("method") == str(cal["method"])
    [event] = cal.walk("VEVENT")
    return str(cal["method"]), event


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(io.BytesIO(data)).pages)


def test_the_confirmation_carries_the_receipt_the_event_and_the_refund_dates_and_the_event_follows_the_launch(
        api, mailbox):
    launch = published_launch(api, capacity=6, days=400)
    launch_at = datetime.fromisoformat(launch["date"])
    email, headers = _traveler(api)
    people = passengers(2)
    people[1]["name"] = "Mae Jemison"
    booked = book(api, headers, launch["id"], people=people)
    assert booked.status_code == 201, booked.text
    booking_id = booked.json()["id"]
    deliver_mail()
    [mail] = mail_to(mailbox, email, "Booking confirmed")

    # The refund dates, computed by the rule the refunds use, in the words of the email.
    text, html = body_of(mail), body_of(mail, "html")
    for months, percent in ((12, 90), (3, 70)):
        deadline = human_date(months_before(launch_at, months))
        assert deadline in text and deadline in html and f"{percent}%" in text
    assert "Cancelling now refunds 90% of what you paid" in text

    [pdf] = _parts(mail, "application/pdf")
    assert pdf.get_filename() == f"astrobookings-booking-{booking_id}.pdf"
    receipt = _pdf_text(pdf.get_payload(decode=True))
    for expected in (f"Booking #{booking_id}", "Mae Jemison", "Passenger 1", usd(launch["price_cents"] * 2),
                     "If you cancel", human_date(months_before(launch_at, 12)), get_settings().seller_registration):
        assert expected in receipt, expected

    method, event = _event(mail)
    domain = get_settings().mail_from.rsplit("@", 1)[-1].strip(" >")
    assert method == "REQUEST" and str(event["uid"]) == f"booking-{booking_id}@{domain}"
    assert event.decoded("dtstart") == launch_at
    assert str(event["location"]) == SPACEPORTS[launch["spaceport"]]
    assert str(event["url"]).endswith(f"/traveler/bookings/{booking_id}/receipt")
    first_sequence = int(event["sequence"])

    new_date = future(430)
    moved = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                     json={"status": "delayed", "date": new_date, "reason": "Range weather"})
    assert moved.status_code == 200, moved.text
    deliver_mail()
    [delayed] = mail_to(mailbox, email, "Launch delayed")
    method, update = _event(delayed)
    assert method == "REQUEST" and str(update["uid"]) == str(event["uid"])
    assert int(update["sequence"]) > first_sequence
    assert update.decoded("dtstart") == datetime.fromisoformat(new_date)

    aborted = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                       json={"status": "aborted", "reason": "technical"})
    assert aborted.status_code == 200, aborted.text
    deliver_mail()
    [withdrawn] = mail_to(mailbox, email, "Launch aborted")
    method, cancel = _event(withdrawn)
    assert method == "CANCEL" and str(cancel["uid"]) == str(event["uid"])
    assert int(cancel["sequence"]) > int(update["sequence"]) and str(cancel["status"]) == "CANCELLED"


def test_the_invoice_pdf_has_each_line_on_one_row_and_says_where_to_pay(api, mailbox):
    owner, launch = ended_launch(api)
    [invoice] = invoices_of(api, owner, launch["id"])
    finance = demo_login(api, "finance@example.com")
    response = api.get(f"/api/finance/invoices/{invoice['id']}.pdf", headers=finance)
    assert response.status_code == 200
    rows = _pdf_text(response.content).splitlines()
    for line in invoice["lines"]:
        # The description's first words and the amount on one row of text (a long one wraps below).
        start = " ".join(line["description"].split()[:4])
        assert [r for r in rows if start in r and r.rstrip().endswith(usd(line["amount_cents"]))], (start, rows)
    text = "\n".join(rows)
    settings = get_settings()
    for expected in ("How to pay", settings.seller_bank_name, settings.seller_bank_account, settings.seller_bank_bic,
                     f"quoting {invoice['number']}", "Subtotal", invoice["due_date"], invoice["buyer"]["name"],
                     settings.seller_registration, "Page 1 of 1"):
        assert expected in text, expected
    # Seller and buyer side by side: their names on one row.
    assert [r for r in rows if invoice["seller"]["name"] in r and invoice["buyer"]["name"] in r], rows
    # The agency's invoice email carries the same PDF.
    deliver_mail()
    [mail] = [m for m in mailbox.to("ops@test-orbital.example") if invoice["number"] in (m["Subject"] or "")]
    [pdf] = _parts(mail, "application/pdf")
    assert pdf.get_payload(decode=True) == response.content
