"""Finance in Chromium: the agency marks a launch launched; finance sees the system's invoice,
records a partial payment, then the rest; the agency opens its invoice and downloads the PDF;
finance views the annual report chart and downloads the CSV."""
import io
import time

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.agency_helpers import agency_with_launch, book
from tests.e2e.flows import sign_in, sign_out
from tests.finance_helpers import invoices_of, move_launch_date
from tests.helpers import PASSWORD


def _wait_for_invoice(api, headers, launch_id, timeout=30.0) -> dict:
    """The server's relay issues the invoice after the commit: poll with a deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = invoices_of(api, headers, launch_id)
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("no invoice was issued for the launched launch")


def test_invoice_from_launch_to_paid_and_the_reports(api, page, new_page):
    headers, _rocket, launch = agency_with_launch(api, price_cents=25_000_000)
    email = api.get("/api/auth/me", headers=headers).json()["email"]
    book(launch["id"], seats=2, email=f"e2e-fin-{launch['id']}@example.com")
    move_launch_date(launch["id"])

    sign_in(page, email, PASSWORD)
    page.goto(f"/agency/launches/{launch['id']}")
    page.click("#launched-button")
    page.click("#confirm-status")
    expect(page.locator("#launch-status")).to_have_text("launched")
    invoice = _wait_for_invoice(api, headers, launch["id"])
    assert invoice["total_cents"] == 500_000  # 1% of two seats at $250,000.00

    finance = new_page()
    sign_in(finance, "finance@example.com")
    finance.goto("/finance/invoices")
    finance.fill("#number", invoice["number"])
    finance.click("#search-invoices")
    expect(finance.locator("#invoice-count")).to_have_text("1 invoice(s)")
    finance.click(f"#invoice-row-{invoice['id']} a")
    expect(finance.locator("#invoice-number")).to_have_text(invoice["number"])
    expect(finance.locator("#invoice-status")).to_have_text("Pending")

    finance.fill("#amount", "2000.00")
    finance.fill("#reference", "WIRE-E2E-1")
    finance.click("#record-payment")
    expect(finance.locator("#invoice-status")).to_have_text("Partially paid")
    expect(finance.locator("#invoice-outstanding")).to_have_text("$3,000.00")
    finance.fill("#amount", "3000.01")
    finance.fill("#reference", "WIRE-E2E-2")
    finance.click("#record-payment")
    expect(finance.locator("#form-error")).to_contain_text("still owes ($3,000.00)")
    finance.fill("#amount", "3000")
    finance.fill("#reference", "WIRE-E2E-2")
    finance.click("#record-payment")
    expect(finance.locator("#invoice-status")).to_have_text("Paid")
    expect(finance.locator("#payments-table")).to_contain_text("WIRE-E2E-2")

    page.goto("/agency/invoices")
    page.click(f"#invoice-row-{invoice['id']} a")
    expect(page.locator("#invoice-status")).to_have_text("Paid")
    with page.expect_download() as download:
        page.click("#download-pdf")
    assert download.value.suggested_filename == f"{invoice['number']}.pdf"
    with open(download.value.path(), "rb") as pdf:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert invoice["number"] in text and "$5,000.00" in text
    sign_out(page)

    finance.goto("/finance/reports")
    expect(finance.locator("#annual-chart svg[role='application']")).to_be_visible()
    expect(finance.locator("#annual-chart .recharts-bar-rectangle").first).to_be_visible()
    expect(finance.locator("#annual-actual")).not_to_have_text("$0.00")
    with finance.expect_download() as download:
        finance.click("#download-annual-csv")
    assert download.value.suggested_filename.startswith("annual-report-")
    with open(download.value.path(), encoding="utf-8") as report:
        rows = report.read().splitlines()
    assert rows[0] == "month,actual_usd,pending_usd" and rows[-1].startswith("Total,") and len(rows) == 14
