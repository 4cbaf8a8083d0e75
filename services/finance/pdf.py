"""Invoices and the annual report as PDF (fpdf2, pure Python). The same invoice gives the same
bytes every time: the document's dates are the invoice's legal date, and nothing random is
written (no generated ids)."""
from datetime import datetime, time, timezone

from fpdf import FPDF

from services.core.formatting import usd
from services.core.models.finance import InvoiceDetail

KIND_TITLES = {"launch_fee": "Invoice", "abort_fee": "Invoice", "cancellation": "Cancellation invoice"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class _Document(FPDF):
    def __init__(self, title: str, on: datetime):
        super().__init__(format="A4")
        self.set_creation_date(on)
        self.set_title(title)
        self.set_author("AstroBookings")
        self.set_creator("AstroBookings")
        self.set_producer("AstroBookings")
        self.set_auto_page_break(True, margin=18)
        self.add_page()
        self.set_font("Helvetica", size=10)

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font("Helvetica", "B", size)
        self.cell(0, 9, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=10)

    def lines_of(self, label: str, lines: list[str]) -> None:
        self.set_font("Helvetica", "B", 10)
        self.cell(0, 6, _latin1(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=10)
        for line in lines:
            self.multi_cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        self.set_font("Helvetica", "B", 9)
        for text, width in zip(header, widths):
            self.cell(width, 7, _latin1(text), border="B", align="L" if text == header[0] else "R")
        self.ln()
        self.set_font("Helvetica", size=9)
        for row in rows:
            for i, (text, width) in enumerate(zip(row, widths)):
                self.cell(width, 6, _latin1(text)[:95], align="L" if i == 0 else "R")
            self.ln()


def _latin1(text: str) -> str:
    """The core fonts speak Latin-1: anything else is written as '?' rather than failing."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def invoice_pdf(invoice: InvoiceDetail) -> bytes:
    on = datetime.combine(invoice.legal_date, time(12), tzinfo=timezone.utc)
    pdf = _Document(f"{KIND_TITLES.get(invoice.kind, 'Invoice')} {invoice.number}", on)
    pdf.heading(f"{KIND_TITLES.get(invoice.kind, 'Invoice')} {invoice.number}")
    pdf.lines_of("Dates", [f"Invoice date: {invoice.legal_date.isoformat()}", f"Due date: {invoice.due_date.isoformat()}"])
    seller, buyer = invoice.seller, invoice.buyer
    pdf.lines_of("From", [seller.get("name", ""), seller.get("address", ""), f"Tax id: {seller.get('tax_id', '')}"])
    pdf.lines_of("To", [buyer.get("name", ""), buyer.get("address", ""), f"Tax id: {buyer.get('tax_id', '')}"])
    if invoice.cancels_number:
        pdf.lines_of("Cancels", [f"Invoice {invoice.cancels_number}" + (f": {invoice.reason}" if invoice.reason else "")])
    pdf.lines_of("Launch", [f"Launch {invoice.launch_id} ({invoice.launch_slug})"])
    rows = [[line.description, str(line.quantity), usd(line.unit_cents), usd(line.amount_cents)] for line in invoice.lines]
    pdf.multi_cell(0, 5, _latin1("\n".join(f"{i}. {line.description}" for i, line in enumerate(invoice.lines, start=1))),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.table(["Line", "Quantity", "Unit amount", "Amount"],
              [[f"{i}", r[1], r[2], r[3]] for i, r in enumerate(rows, start=1)], [60, 30, 45, 45])
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, _latin1(f"Total: {usd(invoice.total_cents)} {invoice.currency}"), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.set_font("Helvetica", size=9)
    if invoice.kind != "cancellation":
        pdf.cell(0, 6, _latin1(f"Please pay by {invoice.due_date.isoformat()}, quoting {invoice.number}."),
                 new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def annual_report_pdf(year: int, months: list[dict], totals: dict, generated_on: datetime) -> bytes:
    pdf = _Document(f"Annual revenue report {year}", generated_on)
    pdf.heading(f"Annual revenue report {year}")
    pdf.lines_of("Totals", [f"Actual (collected): {usd(totals['actual_cents'])}",
                            f"Pending (invoiced, not yet collected): {usd(totals['pending_cents'])}"])
    pdf.table(["Month", "Actual", "Pending"],
              [[MONTHS[m["month"] - 1], usd(m["actual_cents"]), usd(m["pending_cents"])] for m in months], [70, 55, 55])
    return bytes(pdf.output())
