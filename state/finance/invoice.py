"""One invoice, for finance: lines, payments, record a payment, reverse one with a reason,
cancel and reissue (after a confirmation), download the PDF."""
import reflex as rx

from services.core.formatting import INVOICE_KIND_WORDS, INVOICE_STATUS_COLORS, INVOICE_STATUS_WORDS, status_value, usd
from services.core.models.finance import InvoiceDetail
from services.finance import invoices, payments
from state.finance.shared import line_rows, party_lines, payment_row
from state.handlers import Feedback, acting_as
from state.params import parse_id
from state.money import cents_from_usd
from state.session import PortalState

STAFF = ("finance", "admin")


class InvoiceView(rx.State, mixin=True):
    """What an invoice page shows, for finance and for the owning agency alike."""
    invoice_id: int = 0
    found: bool = False
    info: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    payment_rows: list[dict[str, str]] = []
    seller: list[str] = []
    buyer: list[str] = []
    outstanding_cents: int = 0

    def _id_from_path(self) -> int:
        return parse_id(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])

    def _show(self, invoice: InvoiceDetail) -> None:
        status = status_value(invoice.status)
        self.found, self.invoice_id, self.outstanding_cents = True, invoice.id, invoice.outstanding_cents
        self.info = {
            "number": invoice.number, "kind": INVOICE_KIND_WORDS.get(invoice.kind, invoice.kind),
            "status": INVOICE_STATUS_WORDS.get(status, status), "color": INVOICE_STATUS_COLORS.get(status, "gray"),
            "legal_date": invoice.legal_date.isoformat(), "due_date": invoice.due_date.isoformat(),
            "total": usd(invoice.total_cents), "paid": usd(invoice.paid_cents), "outstanding": usd(invoice.outstanding_cents),
            "launch": f"/launches/{invoice.launch_slug}" if invoice.launch_slug else "", "launch_id": str(invoice.launch_id),
            "cancels": invoice.cancels_number or "", "cancels_href": str(invoice.cancels_invoice_id or ""),
            "cancelled_by": invoice.cancelled_by_number or "", "cancelled_by_href": str(invoice.cancelled_by_invoice_id or ""),
            "reason": invoice.reason or "", "open": "yes" if invoice.outstanding_cents > 0 else "",
            "cancellable": "yes" if invoice.kind != "cancellation" and not invoice.cancelled_by_invoice_id
            and invoice.paid_cents == 0 else "",
        }
        self.lines, self.payment_rows = line_rows(invoice), [payment_row(p) for p in invoice.payments]
        self.seller, self.buyer = party_lines(invoice.seller), party_lines(invoice.buyer)

    def _forget(self) -> None:
        self.found, self.info, self.lines, self.payment_rows, self.seller, self.buyer = False, {}, [], [], [], []


class FinanceInvoiceState(PortalState, Feedback, InvoiceView):
    confirm_cancel: bool = False
    cancel_reason: str = ""
    reissue: bool = True

    @rx.event
    @acting_as(*STAFF, reset=True)
    def load(self, actor):
        self._show(invoices.get_invoice(actor, self._id_from_path()))

    @rx.event
    @acting_as(*STAFF, refused="Only finance may record payments.")
    def record_payment(self, actor, form: dict):
        cents = cents_from_usd(str(form.get("amount", "")), field="amount_cents", label="Amount")
        payments.record_payment(actor, self.invoice_id, {
            "amount_cents": cents, "method": form.get("method") or "bank_transfer", "reference": form.get("reference") or None,
            "paid_on": form.get("paid_on") or None, "card_number": form.get("card_number") or None})
        self._show(invoices.get_invoice(actor, self.invoice_id))
        self.notice = f"Recorded a payment of {usd(cents)}."

    @rx.event
    @acting_as(*STAFF)
    def correct_payment(self, actor, payment_id: str, status: str):
        reason = "Reversed from the invoice page" if status == "reversed" else "Restored from the invoice page"
        payments.correct_payment(actor, parse_id(payment_id), {"status": status, "reason": reason})
        self._show(invoices.get_invoice(actor, self.invoice_id))
        self.notice = "Payment reversed." if status == "reversed" else "Payment restored."

    @rx.event
    def ask_cancel(self, form: dict):
        self._clear_feedback()
        self.cancel_reason = str(form.get("reason", "")).strip()
        self.reissue = bool(form.get("reissue"))
        if len(self.cancel_reason) < 3:
            self.error, self.error_field = "Reason must say why, in at least 3 characters.", "reason"
            return
        self.confirm_cancel = True

    @rx.event
    def keep_invoice(self):
        self.confirm_cancel = False

    @rx.event
    @acting_as(*STAFF)
    def cancel(self, actor):
        self.confirm_cancel = False
        result = invoices.cancel_invoice(actor, self.invoice_id, {"reason": self.cancel_reason, "reissue": self.reissue})
        self.notice = f"Cancelled. {'New invoice ' + result.number if result.kind != 'cancellation' else 'Cancellation ' + result.number} issued."
        return rx.redirect(f"/finance/invoices/{result.id}")

    @rx.event
    @acting_as(*STAFF)
    def download_pdf(self, actor):
        filename, body = invoices.invoice_pdf(actor, self.invoice_id)
        return rx.download(data=body, filename=filename, mime_type="application/pdf")
