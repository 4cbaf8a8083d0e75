"""Finance: the invoice list, filtered by status, year, number and agency, paged."""
import reflex as rx

from services.finance import invoices
from state.finance.shared import invoice_row
from state.handlers import Feedback, acting_as
from state.params import parse_id
from state.pagination import Paginated
from state.session import PortalState

STATUS_FILTERS = ["all", "pending", "partially_paid", "paid", "overdue", "cancelled"]


class FinanceInvoicesState(PortalState, Feedback, Paginated):
    rows: list[dict[str, str]] = []
    status_filter: str = "all"
    year: str = ""
    number: str = ""
    agency_id: str = ""
    loaded: bool = False

    def _reload(self) -> None:
        actor = self.actor_with("finance", "admin")
        if actor is None:
            self._reset_portal()
            return
        items, self.total = invoices.list_invoices(
            actor, status=None if self.status_filter == "all" else self.status_filter,
            year=int(self.year) if self.year.isdigit() else None, number=self.number or None,
            agency_id=parse_id(self.agency_id) or None, page=self.page, per_page=self.per_page)
        self.rows = [invoice_row(i, "/finance/invoices") for i in items]
        self.loaded = True

    @rx.event
    def load(self):
        self._reset_portal()
        self.agency_id = self.router.url.query_parameters.get("agency", "")
        self._reload()

    @rx.event
    def filter_status(self, status: str):
        self.status_filter, self.page = (status if status in STATUS_FILTERS else "all"), 1
        self._reload()

    @rx.event
    @acting_as("finance", "admin")
    def search(self, actor, form: dict):
        year, number = str(form.get("year", "")).strip(), str(form.get("number", "")).strip()
        if year and not (year.isdigit() and 2000 <= int(year) <= 2200):
            self.error, self.error_field = "Year must be a year like 2027.", "year"
            return
        self.year, self.number, self.page = year, number[:20], 1
        self._reload()

    @rx.event
    def clear(self):
        self.status_filter, self.year, self.number, self.agency_id, self.page = "all", "", "", "", 1
        self._clear_feedback()
        self._reload()
