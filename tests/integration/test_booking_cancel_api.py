"""Cancelling a booking: the quote shown first, the refund written with the cancellation and paid
by the refunds consumer through the gateway, the seats."""
import pytest
from sqlmodel import select

from services.core.db import read_session
from services.core.models import Launch, OutboxEvent, Refund
from services.kernel.payments import sandbox_ledger
from tests.booking_helpers import book, published_launch
from tests.helpers import drain_outbox, new_traveler


def _seats_sold(launch_id: int) -> int:
    with read_session() as session:
        return session.get(Launch, launch_id).seats_sold


def test_cancel_a_year_ahead_refunds_90_percent_and_frees_the_seats(api):
    launch = published_launch(api, days=400, price_cents=10_000_000)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 2).json()
    quote = api.get(f"/api/bookings/{booking['id']}", headers=headers).json()["cancel_quote"]
    assert quote == {"refund_percent": 90, "refund_cents": 18_000_000, "seats_return_to_sale": True,
                     "message": quote["message"], "terms": quote["terms"]}
    assert "$180,000.00" in quote["message"]
    # The booking detail says what cancelling refunds from today, until when (the booking page's rule).
    assert quote["terms"][0].startswith("Cancelling now refunds 90% of what you paid, until ")
    assert quote["terms"][1].startswith("After that, 70% until ")

    cancelled = api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers,
                         json={"expected_refund_cents": 18_000_000})
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["status"] == "cancelled" and body["refund_cents"] == 18_000_000 and body["refund_percent"] == 90
    assert body["cancelled_at"] and body["cancel_quote"] is None
    # No gateway call in the request: the refund is pending until the refunds consumer pays it.
    assert body["refund_status"] == "pending" and body["refund_ref"] is None
    assert _seats_sold(launch["id"]) == 0
    with read_session() as session:
        events = session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "booking.cancelled")).all()
        refund = session.exec(select(Refund).where(Refund.booking_id == booking["id"])).one()
    assert any(e.payload.get("launch_id") == launch["id"] and e.payload.get("booking_id") == booking["id"]
               and e.payload.get("refund_id") == refund.id for e in events)
    assert (refund.amount_cents, refund.status.value, refund.charge_ref) == (18_000_000, "pending", booking["payment_ref"])

    drain_outbox()
    paid = api.get(f"/api/bookings/{booking['id']}", headers=headers).json()
    assert paid["refund_status"] == "paid" and paid["refund_ref"].startswith("re_sandbox_")
    refunds = [e for e in sandbox_ledger() if e["kind"] == "refund" and e["charge"] == booking["payment_ref"]]
    assert [(e["amount_cents"], e["reference"]) for e in refunds] == [(18_000_000, paid["refund_ref"])]

    again = api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_cancelled"


def test_cancel_between_three_months_and_a_year_refunds_70_percent(api):
    launch = published_launch(api, days=200, price_cents=10_000_000)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 1).json()
    cancelled = api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers).json()
    assert (cancelled["refund_percent"], cancelled["refund_cents"]) == (70, 7_000_000)
    assert _seats_sold(launch["id"]) == 0


def test_cancel_close_to_the_launch_refunds_nothing_and_keeps_the_seats_sold(api):
    launch = published_launch(api, days=30)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 2).json()
    assert booking["cancel_quote"]["refund_cents"] == 0 and not booking["cancel_quote"]["seats_return_to_sale"]
    cancelled = api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers).json()
    assert cancelled["status"] == "cancelled" and cancelled["refund_cents"] == 0 and cancelled["refund_ref"] is None
    assert cancelled["refund_status"] is None
    assert _seats_sold(launch["id"]) == 2


def test_a_quote_that_moved_must_be_confirmed_again(api):
    launch = published_launch(api, days=400)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 1).json()
    stale = api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers, json={"expected_refund_cents": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "quote_changed"
    assert api.get(f"/api/bookings/{booking['id']}", headers=headers).json()["status"] == "confirmed"


def test_cancelled_seats_count_again_toward_nothing(api):
    launch = published_launch(api, capacity=10)
    _email, headers = new_traveler(api)
    first = book(api, headers, launch["id"], 4).json()
    api.post(f"/api/bookings/{first['id']}/cancel", headers=headers)
    # The cancelled seats no longer count toward the four-seat limit.
    assert book(api, headers, launch["id"], 4).status_code == 201


def test_receipt_pdf_names_the_booking_its_money_and_passengers_and_only_for_its_traveler(api):
    launch = published_launch(api, days=500, price_cents=1_000_000)
    _email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 2).json()
    assert api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers).status_code == 200
    receipt = api.get(f"/api/bookings/{booking['id']}/receipt.pdf", headers=headers)
    assert receipt.status_code == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF") and f"booking-{booking['id']}.pdf" in receipt.headers["content-disposition"]
    import io

    from pypdf import PdfReader
    text = "\n".join(p.extract_text(extraction_mode="layout") for p in PdfReader(io.BytesIO(receipt.content)).pages)
    for words in (f"Booking #{booking['id']}", "$20,000.00", "Refund (90%", "-$18,000.00", "Passenger 2",
                  "This booking was cancelled on"):
        assert words in text, words
    # The seats' row: its description, the price of a seat and the amount on one line of text.
    [seat_row] = [row for row in text.splitlines() if "Seat on " in row]
    assert "$10,000.00" in seat_row and seat_row.rstrip().endswith("$20,000.00"), seat_row
    _other, stranger = new_traveler(api)
    assert api.get(f"/api/bookings/{booking['id']}/receipt.pdf", headers=stranger).status_code == 404
    assert api.get(f"/api/bookings/{booking['id']}/receipt.pdf").status_code == 401


def test_receipt_page_facts_match_the_booking_and_only_for_its_traveler(api):
    """The printable receipt page's facts (services/booking/receipts.receipt), the PDF's too."""
    from services.booking import receipts
    from services.kernel.actor import Actor
    from services.kernel.errors import NotFound

    launch = published_launch(api, days=500, price_cents=1_000_000)
    email, headers = new_traveler(api)
    booking = book(api, headers, launch["id"], 2).json()
    assert api.post(f"/api/bookings/{booking['id']}/cancel", headers=headers).status_code == 200
    me = api.get("/api/auth/me", headers=headers).json()
    facts = receipts.receipt(Actor(user_id=me["id"], email=email, role="traveler"), booking["id"])
    lines = dict(facts["lines"])
    assert facts["title"] == f"Receipt - booking #{booking['id']}" and lines["Booking number"] == f"#{booking['id']}"
    assert lines["Seats"] == "2 seats" and lines["Paid"] == "$20,000.00" and lines["Refund"].startswith("$18,000.00 (90%)")
    assert [p["name"] for p in facts["passengers"]] == ["Passenger 1", "Passenger 2"]
    stranger = Actor(user_id="someone-else", email="else@example.com", role="traveler")
    with pytest.raises(NotFound):
        receipts.receipt(stranger, booking["id"])
