"""Finance: launches that ended, with their invoice, and a button to issue a missing one."""
import reflex as rx

from services.core.formatting import status_color, status_word, usd, when
from services.finance import invoices, reports
from state.handlers import Feedback, acting_as
from state.params import parse_id
from state.pagination import Paginated
from state.session import PortalState


class FinanceLaunchesState(PortalState, Feedback, Paginated):
    rows: list[dict[str, str]] = []
    loaded: bool = False

    def _reload(self) -> None:
        actor = self.actor_with("finance", "admin")
        if actor is None:
            self._reset_portal()
            return
        items, self.total = reports.ended_launches(actor, page=self.page, per_page=self.per_page)
        self.rows = [{
            "id": str(r["launch_id"]), "date": when(r["date"]), "agency": r["agency"], "rocket": r["rocket"],
            "status": status_word(r["status"]), "color": status_color(r["status"]), "net": usd(r["net_revenue_cents"]),
            "invoice": r["invoice_number"] or "", "invoice_href": f"/finance/invoices/{r['invoice_id']}" if r["invoice_id"] else "",
            "can_issue": "yes" if not r["invoice_id"] and r["status"] in ("launched", "aborted") else "",
        } for r in items]
        self.loaded = True

    @rx.event
    def load(self):
        self._reset_portal()
        self._reload()

    @rx.event
    @acting_as("finance", "admin")
    def issue(self, actor, launch_id: str):
        invoice = invoices.issue_for_launch(actor, {"launch_id": parse_id(launch_id)})
        self.notice = f"Issued invoice {invoice.number} ({usd(invoice.total_cents)})."
        self._reload()
