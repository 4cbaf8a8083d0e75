"""Invoices and the annual report as PDF, in the documents' one layout (services/kernel/documents.py).
The same invoice gives the same bytes every time: the document's dates are the invoice's legal
date, and nothing random is written (no generated ids)."""
from datetime import datetime, time, timezone

from services.core.formatting import usd
from services.core.models.finance import InvoiceDetail
from services.core.settings import get_settings
from services.kernel.documents import Column, CompanyDocument, seller_from

KIND_TITLES = {"launch_fee": "Invoice", "abort_fee": "Invoice", "cancellation": "Cancellation invoice"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
LINE_COLUMNS = [Column("Description", 104), Column("Qty", 14, "RIGHT"), Column("Unit price", 30, "RIGHT"),
                Column("Amount", 30, "RIGHT")]


def _day(d) -> str:
    # ISO dates on invoices: read the same in every country an agency's accounts department is in.
    return d.isoformat()


def payment_details(number: str) -> list[tuple[str, str]]:
    """Where an invoice is paid, and the reference that matches the payment to it."""
    s = get_settings()
    return [("Account holder", s.seller_name), ("Bank", s.seller_bank_name), ("Account", s.seller_bank_account),
            ("BIC / SWIFT", s.seller_bank_bic), ("Reference", number)]


def invoice_pdf(invoice: InvoiceDetail) -> bytes:
    settings = get_settings()
    title = KIND_TITLES.get(invoice.kind, "Invoice")
    on = datetime.combine(invoice.legal_date, time(12), tzinfo=timezone.utc)
    pdf = CompanyDocument(title, invoice.number, on, seller_from(settings, invoice.seller))
    cancellation = invoice.kind == "cancellation"
    pdf.facts([("Invoice number", invoice.number), ("Invoice date", _day(invoice.legal_date)),
               ("Due date", "-" if cancellation else _day(invoice.due_date)),
               ("Amount due", usd(invoice.outstanding_cents if not cancellation else 0))])
    seller, buyer = pdf.seller, invoice.buyer
    pdf.parties(("From", [seller.name, seller.address, f"Tax id {seller.tax_id}"]),
                ("Bill to", [buyer.get("name", ""), buyer.get("address", ""),
                             f"Tax id {buyer.get('tax_id', '')}" if buyer.get("tax_id") else "", buyer.get("email", "")]))
    if invoice.cancels_number:
        pdf.section("Cancels", [f"This invoice cancels invoice {invoice.cancels_number}"
                                + (f": {invoice.reason}" if invoice.reason else ".")])
    pdf.items(LINE_COLUMNS, [[line.description, str(line.quantity), usd(line.unit_cents), usd(line.amount_cents)]
                             for line in invoice.lines])
    totals = [("Subtotal", usd(sum(line.amount_cents for line in invoice.lines))),
              (f"Total ({invoice.currency})", usd(invoice.total_cents))]
    if invoice.paid_cents:
        totals += [("Paid", usd(-invoice.paid_cents)), ("Amount due", usd(invoice.outstanding_cents))]
    pdf.totals(totals)
    if cancellation:
        pdf.section("Nothing to pay", ["This cancellation invoice reverses the invoice it names; keep both."])
    else:
        pdf.section("How to pay", [f"Please pay {usd(invoice.total_cents)} by bank transfer by "
                                   f"{_day(invoice.due_date)}, quoting {invoice.number} as the reference."],
                    payment_details(invoice.number))
    return pdf.bytes()


def annual_report_pdf(year: int, months: list[dict], totals: dict, generated_on: datetime) -> bytes:
    pdf = CompanyDocument("Revenue report", str(year), generated_on, seller_from(get_settings()))
    pdf.facts([("Year", str(year)), ("Actual (collected)", usd(totals["actual_cents"])),
               ("Pending (not yet collected)", usd(totals["pending_cents"]))])
    pdf.items([Column("Month", 70), Column("Actual", 54, "RIGHT"), Column("Pending", 54, "RIGHT")],
              [[MONTHS[m["month"] - 1], usd(m["actual_cents"]), usd(m["pending_cents"])] for m in months])
    return pdf.bytes()
