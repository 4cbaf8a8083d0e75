"""Payments on the real stores: partial then full, overpayment refused, card payments by finance
and by the agency, corrections with a reason, overdue status and reminders sent once per step."""
from datetime import date, timedelta

from sqlalchemy import text

from services.finance.reminders import send_due_reminders
from services.kernel.actor import SYSTEM
from tests.booking_helpers import APPROVE, DECLINE
from tests.finance_helpers import ended_launch, invoices_of
from tests.helpers import demo_login


def _invoice(api):
    headers, launch = ended_launch(api, status="aborted")  # a 100,000-cent invoice
    [invoice] = invoices_of(api, headers, launch["id"])
    return headers, invoice


def _pay(api, finance, invoice_id, amount, **extra):
    body = {"amount_cents": amount, "method": "bank_transfer", "reference": "WIRE-1", **extra}
    return api.post(f"/api/finance/invoices/{invoice_id}/payments", headers=finance, json=body)


def test_partial_then_full_payment_and_overpayment_refused(api):
    _agency, invoice = _invoice(api)
    finance = demo_login(api, "finance@example.com")
    first = _pay(api, finance, invoice["id"], 40_000)
    assert first.status_code == 201, first.text
    assert first.json()["paid_on"] == date.today().isoformat() and first.json()["status"] == "received"
    partly = api.get(f"/api/finance/invoices/{invoice['id']}", headers=finance).json()
    assert (partly["status"], partly["paid_cents"], partly["outstanding_cents"]) == ("partially_paid", 40_000, 60_000)
    over = _pay(api, finance, invoice["id"], 60_001)
    assert over.status_code == 409 and over.json()["error"]["field"] == "amount_cents" and "$600.00" in over.json()["error"]["message"]
    assert _pay(api, finance, invoice["id"], 60_000).status_code == 201
    paid = api.get(f"/api/finance/invoices/{invoice['id']}", headers=finance).json()
    assert (paid["status"], paid["outstanding_cents"], len(paid["payments"])) == ("paid", 0, 2)
    assert _pay(api, finance, invoice["id"], 1).status_code == 409


def test_bad_payments_name_their_field(api):
    _agency, invoice = _invoice(api)
    finance = demo_login(api, "finance@example.com")
    cases = [({"amount_cents": 0}, "amount_cents"), ({"reference": ""}, "reference"),
             ({"method": "card", "reference": None}, "card_number"), ({"method": "cheque"}, "method"),
             ({"paid_on": (date.today() + timedelta(days=2)).isoformat()}, "paid_on"),
             ({"amount_cents": 10**15}, "amount_cents")]
    for extra, field in cases:
        body = {"amount_cents": 1000, "method": "bank_transfer", "reference": "W", **extra}
        refused = api.post(f"/api/finance/invoices/{invoice['id']}/payments", headers=finance, json=body)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == field, (extra, refused.text)
    assert api.get(f"/api/finance/invoices/{invoice['id']}", headers=finance).json()["payments"] == []


def test_card_payments_by_finance_and_by_the_agency(api):
    agency, invoice = _invoice(api)
    finance = demo_login(api, "finance@example.com")
    declined = _pay(api, finance, invoice["id"], 10_000, method="card", card_number=DECLINE, reference=None)
    assert declined.status_code == 402
    by_card = _pay(api, finance, invoice["id"], 10_000, method="card", card_number=APPROVE, reference=None)
    assert by_card.status_code == 201 and by_card.json()["reference"].startswith("ch_sandbox_")
    paid = api.post(f"/api/agency/invoices/{invoice['id']}/pay", headers=agency, json={"card_number": APPROVE})
    assert paid.status_code == 201 and paid.json()["amount_cents"] == 90_000
    mine = api.get(f"/api/agency/invoices/{invoice['id']}", headers=agency).json()
    assert mine["status"] == "paid"
    nothing = api.post(f"/api/agency/invoices/{invoice['id']}/pay", headers=agency, json={"card_number": APPROVE})
    assert nothing.status_code == 409 and nothing.json()["error"]["code"] == "nothing_to_pay"


def test_a_reversed_payment_reopens_the_invoice_with_its_reason(api):
    _agency, invoice = _invoice(api)
    finance = demo_login(api, "finance@example.com")
    payment = _pay(api, finance, invoice["id"], 100_000).json()
    reversed_ = api.patch(f"/api/finance/payments/{payment['id']}", headers=finance,
                          json={"status": "reversed", "reason": "Transfer bounced"})
    assert reversed_.status_code == 200 and reversed_.json()["status_reason"] == "Transfer bounced"
    assert api.get(f"/api/finance/invoices/{invoice['id']}", headers=finance).json()["status"] == "pending"
    same = api.patch(f"/api/finance/payments/{payment['id']}", headers=finance, json={"status": "reversed", "reason": "again"})
    assert same.status_code == 409
    no_reason = api.patch(f"/api/finance/payments/{payment['id']}", headers=finance, json={"status": "received"})
    assert no_reason.status_code == 422 and no_reason.json()["error"]["field"] == "reason"
    missing = api.patch("/api/finance/payments/2000000000", headers=finance, json={"status": "reversed", "reason": "x y z"})
    assert missing.status_code == 404


def test_a_paid_invoice_cannot_be_cancelled_before_its_payments_are_reversed(api):
    _agency, invoice = _invoice(api)
    finance = demo_login(api, "finance@example.com")
    _pay(api, finance, invoice["id"], 5_000)
    refused = api.post(f"/api/finance/invoices/{invoice['id']}/cancel", headers=finance, json={"reason": "Wrong amount"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "has_payments"


def _make_late(invoice_id: int, days: int) -> None:
    from services.core.db import unit_of_work

    with unit_of_work() as session:
        session.execute(text("update invoice set legal_date = :legal, due_date = :due where id = :id"), {
            "legal": date.today() - timedelta(days=days + 30), "due": date.today() - timedelta(days=days), "id": invoice_id})


def _reminders(invoice_id: int) -> list[int]:
    from services.core.db import read_session

    with read_session() as session:
        return list(session.execute(text("select (payload->>'days_late')::int from outbox_event where event_type = "
                                         "'invoice.overdue' and aggregate_id = :id order by 1"), {"id": str(invoice_id)}).scalars())


def test_overdue_status_and_one_reminder_per_step(api):
    _agency, invoice = _invoice(api)
    finance = demo_login(api, "finance@example.com")
    _make_late(invoice["id"], 1)
    assert api.get(f"/api/finance/invoices/{invoice['id']}", headers=finance).json()["status"] == "overdue"
    send_due_reminders(SYSTEM)
    assert _reminders(invoice["id"]) == []  # one day late: no reminder step reached yet
    _make_late(invoice["id"], 15)
    send_due_reminders(SYSTEM)
    send_due_reminders(SYSTEM)
    assert _reminders(invoice["id"]) == [7, 14]
    _make_late(invoice["id"], 45)
    send_due_reminders(SYSTEM)
    assert _reminders(invoice["id"]) == [7, 14, 30]
