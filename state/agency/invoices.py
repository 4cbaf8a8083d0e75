"""The agency's own invoices: the list, one invoice with its PDF, and paying it by card."""
import reflex as rx

from services.core.formatting import usd
from services.finance import invoices, payments
from state.finance.invoice import InvoiceView
from state.finance.shared import invoice_row
from state.handlers import Feedback, acting_as
from state.pagination import Paginated
from state.session import PortalState


class AgencyInvoicesState(PortalState, Feedback, Paginated):
    rows: list[dict[str, str]] = []
    loaded: bool = False

    def _reload(self) -> None:
        actor = self.actor_with("agency")
        if actor is None:
            self._reset_portal()
            return
        items, self.total = invoices.list_invoices(actor, page=self.page, per_page=self.per_page)
        self.rows = [invoice_row(i, "/agency/invoices") for i in items]
        self.loaded = True

    @rx.event
    def load(self):
        self._reset_portal()
        self._reload()


class AgencyInvoiceState(PortalState, Feedback, InvoiceView):
    @rx.event
    @acting_as("agency", reset=True)
    def load(self, actor):
        self._show(invoices.get_invoice(actor, self._id_from_path()))

    @rx.event
    @acting_as("agency", refused="Only the agency may pay its invoice.")
    def pay(self, actor, form: dict):
        payment = payments.pay_by_card(actor, self.invoice_id, {"card_number": str(form.get("card_number", ""))})
        self._show(invoices.get_invoice(actor, self.invoice_id))
        self.notice = f"Paid {usd(payment.amount_cents)} by card. Thank you."

    @rx.event
    @acting_as("agency")
    def download_pdf(self, actor):
        filename, body = invoices.invoice_pdf(actor, self.invoice_id)
        return rx.download(data=body, filename=filename, mime_type="application/pdf")
