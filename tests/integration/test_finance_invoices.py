"""Invoices on the real stores: issued by the system when a launch ends, exactly once, with the
right fee; numbered without gaps under concurrency; corrected only by cancellation."""
import threading

from sqlalchemy import text

from services.finance.invoices import issue_when_launch_ends
from services.kernel.actor import SYSTEM
from tests.finance_helpers import end_launch, ended_launch, invoices_of
from tests.agency_helpers import agency_with_launch, book
from tests.helpers import demo_login, drain_outbox


def _finance(api):
    return demo_login(api, "finance@example.com")


def test_a_launched_launch_gets_exactly_one_invoice_of_one_percent_of_net_revenue(api):
    headers, launch = ended_launch(api, seats=(2, 1), price_cents=25_000_000)
    [invoice] = invoices_of(api, headers, launch["id"])
    assert invoice["kind"] == "launch_fee" and invoice["total_cents"] == 750_000  # 1% of $750,000.00
    assert invoice["status"] == "pending" and invoice["paid_cents"] == 0 and invoice["currency"] == "USD"
    assert invoice["number"].startswith(f"AB-{invoice['legal_date'][:4]}-")
    assert invoice["buyer"]["tax_id"] == "VAT-12345" and invoice["seller"]["name"]
    assert invoice["lines"][0]["amount_cents"] == 750_000 and "1% of net revenue" in invoice["lines"][0]["description"]
    # The event delivered again, and the consumer called again: still one invoice.
    assert issue_when_launch_ends(SYSTEM, launch["id"]) is None
    assert len(invoices_of(api, headers, launch["id"])) == 1


def test_refunds_lower_the_net_revenue(api):
    headers, _rocket, launch = agency_with_launch(api, price_cents=10_000_000)
    book(launch["id"], seats=2, email=f"r-{launch['id']}@example.com")
    from services.core.db import unit_of_work
    with unit_of_work() as session:
        session.execute(text("update booking set refund_cents = 5000000 where launch_id = :id"), {"id": launch["id"]})
    end_launch(api, headers, launch["id"], "launched")
    drain_outbox()
    [invoice] = invoices_of(api, headers, launch["id"])
    assert invoice["total_cents"] == 150_000  # 1% of (20,000,000 - 5,000,000) cents


def test_a_reliable_agency_pays_point_eight_percent(api):
    headers, _first = ended_launch(api, seats=(1,))
    ended_launch(api, seats=(1,), headers=headers)
    _headers, third = ended_launch(api, seats=(2,), headers=headers, price_cents=10_000_000)
    [invoice] = invoices_of(api, headers, third["id"])
    assert invoice["total_cents"] == 160_000 and "0.8%" in invoice["lines"][0]["description"]


def test_abort_costs_a_flat_thousand_dollars_and_failure_nothing(api):
    headers, aborted = ended_launch(api, status="aborted")
    [invoice] = invoices_of(api, headers, aborted["id"])
    assert invoice["kind"] == "abort_fee" and invoice["total_cents"] == 100_000
    headers, failed = ended_launch(api, status="failed")
    assert invoices_of(api, headers, failed["id"]) == []
    refused = api.post("/api/finance/invoices", headers=_finance(api), json={"launch_id": failed["id"]})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_fee"


def test_an_employee_issues_an_invoice_and_sees_why_a_second_is_refused(api):
    headers, _rocket, launch = agency_with_launch(api)
    finance = _finance(api)
    still_open = api.post("/api/finance/invoices", headers=finance, json={"launch_id": launch["id"]})
    assert still_open.status_code == 409 and still_open.json()["error"]["code"] == "launch_not_ended"
    end_launch(api, headers, launch["id"], "aborted")  # not drained: the employee is first
    issued = api.post("/api/finance/invoices", headers=finance, json={"launch_id": launch["id"]})
    assert issued.status_code == 201, issued.text
    drain_outbox()  # the system's consumer then finds the invoice and issues nothing
    again = api.post("/api/finance/invoices", headers=finance, json={"launch_id": launch["id"]})
    assert again.status_code == 409 and issued.json()["number"] in again.json()["error"]["message"]
    assert [i["id"] for i in invoices_of(api, headers, launch["id"])] == [issued.json()["id"]]
    missing = api.post("/api/finance/invoices", headers=finance, json={"launch_id": 2_000_000_000})
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "launch_id"


def _race(targets) -> list:
    results, barrier = [], threading.Barrier(len(targets))

    def run(launch_id):
        barrier.wait()
        results.append(issue_when_launch_ends(SYSTEM, launch_id))
    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _ended_without_invoice(api, count: int) -> list[int]:
    """Launches whose end was recorded while the relay was not draining: no invoice yet."""
    ids = []
    headers, _rocket, _launch = agency_with_launch(api)
    from tests.agency_helpers import add_rocket, schedule
    for _ in range(count):
        launch = schedule(api, headers, add_rocket(api, headers, name=f"R{len(ids)}")["id"])
        end_launch(api, headers, launch["id"], "aborted")
        ids.append(launch["id"])
    return ids


def test_twenty_concurrent_issues_take_twenty_consecutive_numbers(api):
    launch_ids = _ended_without_invoice(api, 20)
    issued = [i for i in _race(launch_ids) if i is not None]
    from services.core.db import read_session
    with read_session() as session:
        rows = session.execute(text("select year, sequence from invoice where id = any(:ids) order by sequence"),
                               {"ids": issued}).all()
    sequences = [r[1] for r in rows]
    assert len(issued) == 20 and len({r[0] for r in rows}) == 1
    assert sequences == list(range(sequences[0], sequences[0] + 20))
    drain_outbox()


def test_racing_issuers_of_one_launch_leave_one_invoice(api):
    [launch_id] = _ended_without_invoice(api, 1)
    results = _race([launch_id] * 8)
    assert len([r for r in results if r is not None]) == 1
    drain_outbox()


def test_cancel_and_reissue_then_no_second_cancellation(api):
    headers, launch = ended_launch(api, status="aborted")
    finance = _finance(api)
    [original] = invoices_of(api, headers, launch["id"])
    reissued = api.post(f"/api/finance/invoices/{original['id']}/cancel", headers=finance,
                        json={"reason": "Wrong buyer address", "reissue": True})
    assert reissued.status_code == 201, reissued.text
    new = reissued.json()
    assert new["kind"] == "abort_fee" and new["id"] != original["id"] and new["total_cents"] == 100_000
    old = api.get(f"/api/finance/invoices/{original['id']}", headers=finance).json()
    assert old["status"] == "cancelled" and old["cancelled_by_number"]
    cancellation = api.get(f"/api/finance/invoices/{old['cancelled_by_invoice_id']}", headers=finance).json()
    assert cancellation["kind"] == "cancellation" and cancellation["total_cents"] == -100_000
    assert cancellation["cancels_invoice_id"] == original["id"] and cancellation["cancels_number"] == original["number"]
    twice = api.post(f"/api/finance/invoices/{original['id']}/cancel", headers=finance, json={"reason": "again"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_cancelled"
    nested = api.post(f"/api/finance/invoices/{cancellation['id']}/cancel", headers=finance, json={"reason": "again"})
    assert nested.status_code == 409 and nested.json()["error"]["code"] == "not_cancellable"
    assert [i["id"] for i in invoices_of(api, headers, launch["id"]) if i["status"] != "cancelled"] == [new["id"]]
