"""Reports on the real stores: revenue per agency, the annual report, aging, the dashboard, each
as CSV; and the SQL status used to filter agrees with the Python rule."""
import csv
import io
from datetime import date, timedelta

from sqlalchemy import text

from services.finance import queries, rules
from tests.finance_helpers import ended_launch, invoices_of
from tests.helpers import demo_login


def _agency_row(api, finance, agency_id):
    rows = api.get("/api/finance/reports/revenue", headers=finance).json()["items"]
    return next(r for r in rows if r["agency_id"] == agency_id)


def test_revenue_per_agency_counts_invoiced_collected_outstanding_and_launches(api):
    headers, launch = ended_launch(api, seats=(2,), price_cents=10_000_000)  # fee 200,000
    _same, second = ended_launch(api, status="aborted", headers=headers)  # fee 100,000
    finance = demo_login(api, "finance@example.com")
    [fee] = invoices_of(api, headers, launch["id"])
    api.post(f"/api/finance/invoices/{fee['id']}/payments", headers=finance,
             json={"amount_cents": 50_000, "method": "bank_transfer", "reference": "W-9"})
    row = _agency_row(api, finance, fee["agency_id"])
    assert (row["invoiced_cents"], row["collected_cents"], row["outstanding_cents"], row["launches"]) == (300_000, 50_000, 250_000, 1)
    download = api.get("/api/finance/reports/revenue", headers=finance, params={"format": "csv"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(download.text)))
    assert lines[0] == ["agency", "launches", "invoiced_usd", "collected_usd", "outstanding_usd"]
    assert [row["agency"], "1", "3000.00", "500.00", "2500.00"] in lines


def test_annual_report_splits_actual_and_pending_by_month(api):
    headers, launch = ended_launch(api, status="aborted")
    finance = demo_login(api, "finance@example.com")
    before = api.get("/api/finance/reports/annual", headers=finance).json()
    [invoice] = invoices_of(api, headers, launch["id"])
    api.post(f"/api/finance/invoices/{invoice['id']}/payments", headers=finance,
             json={"amount_cents": 30_000, "method": "bank_transfer", "reference": "W"})
    after = api.get("/api/finance/reports/annual", headers=finance).json()
    month = date.today().month - 1
    assert after["year"] == date.today().year and len(after["months"]) == 12
    assert after["months"][month]["actual_cents"] - before["months"][month]["actual_cents"] == 30_000
    assert after["months"][month]["pending_cents"] - before["months"][month]["pending_cents"] == -30_000
    assert after["totals"]["actual_cents"] == sum(m["actual_cents"] for m in after["months"])
    as_csv = api.get("/api/finance/reports/annual", headers=finance, params={"format": "csv"}).text.splitlines()
    assert as_csv[0] == "month,actual_usd,pending_usd" and as_csv[-1].startswith("Total,") and len(as_csv) == 14
    pdf = api.get("/api/finance/reports/annual", headers=finance, params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = api.get("/api/finance/reports/annual", headers=finance, params={"year": 99999})
    assert bad.status_code == 422 and bad.json()["error"]["field"].endswith("year")


def test_aging_buckets_and_dashboard(api):
    headers, launch = ended_launch(api, status="aborted")
    finance = demo_login(api, "finance@example.com")
    [invoice] = invoices_of(api, headers, launch["id"])
    before = {r["bucket"]: r for r in api.get("/api/finance/reports/aging", headers=finance).json()["items"]}
    board_before = api.get("/api/finance/dashboard", headers=finance).json()
    from services.core.db import unit_of_work
    with unit_of_work() as session:
        session.execute(text("update invoice set due_date = :due where id = :id"),
                        {"due": date.today() - timedelta(days=45), "id": invoice["id"]})
    after = {r["bucket"]: r for r in api.get("/api/finance/reports/aging", headers=finance).json()["items"]}
    assert list(after) == list(rules.AGING_BUCKETS)
    assert after["31-60"]["outstanding_cents"] - before["31-60"]["outstanding_cents"] == 100_000
    assert after["current"]["outstanding_cents"] - before["current"]["outstanding_cents"] == -100_000
    board = api.get("/api/finance/dashboard", headers=finance).json()
    assert board["overdue_count"] == board_before["overdue_count"] + 1
    assert board["overdue_cents"] - board_before["overdue_cents"] == 100_000
    assert api.get("/api/finance/invoices", headers=finance, params={"status": "overdue", "number": invoice["number"]}).json()["total"] == 1


def test_sql_status_agrees_with_the_rule(api):
    from services.core.db import read_session
    ended_launch(api, status="aborted")
    finance = demo_login(api, "finance@example.com")
    page = api.get("/api/finance/invoices", headers=finance, params={"per_page": 100}).json()["items"]
    with read_session() as session:
        in_sql = queries.statuses(session, date.today(), [i["id"] for i in page])
    assert page and all(in_sql[i["id"]] == i["status"] for i in page)


def test_ended_launches_show_their_invoice(api):
    headers, launch = ended_launch(api, status="failed")
    finance = demo_login(api, "finance@example.com")
    items = api.get("/api/finance/launches", headers=finance, params={"per_page": 100}).json()["items"]
    mine = next(i for i in items if i["launch_id"] == launch["id"])
    assert mine["status"] == "failed" and mine["invoice_number"] is None
