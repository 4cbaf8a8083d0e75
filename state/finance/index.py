"""Finance dashboard: open receivables, overdue invoices, this month's invoicing, last invoices."""
import reflex as rx

from services.core.formatting import usd
from services.finance import reports
from state.finance.shared import invoice_row
from state.handlers import Feedback, acting_as
from state.session import PortalState


class FinanceDashboardState(PortalState, Feedback):
    figures: dict[str, str] = {}
    latest: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    @acting_as("finance", "admin", reset=True)
    def load(self, actor):
        board = reports.dashboard(actor)
        self.figures = {
            "open": usd(board["open_cents"]), "overdue_count": str(board["overdue_count"]),
            "overdue": usd(board["overdue_cents"]), "month": usd(board["month_invoiced_cents"]),
            "month_count": str(board["month_invoices"]),
        }
        self.latest = [invoice_row(i, "/finance/invoices") for i in board["latest"]]
        self.loaded = True
