"""Finance reports: revenue per agency (bar chart), the annual report of actual versus pending
revenue per month (chart and totals), the receivables aging; each downloads as CSV (the annual
report also as PDF)."""
import reflex as rx

from services.core.formatting import usd
from services.finance import reports
from services.finance.pdf import MONTHS
from state.handlers import Feedback, acting_as
from state.session import PortalState


class FinanceReportsState(PortalState, Feedback):
    revenue_rows: list[dict[str, str]] = []
    revenue_chart: list[dict] = []
    year: int = 0
    annual_chart: list[dict] = []
    annual_rows: list[dict[str, str]] = []
    totals: dict[str, str] = {}
    aging_rows: list[dict[str, str]] = []
    loaded: bool = False

    def _show(self, actor) -> None:
        revenue = reports.revenue(actor)
        self.revenue_rows = [{"agency": r["agency"], "launches": str(r["launches"]), "invoiced": usd(r["invoiced_cents"]),
                              "collected": usd(r["collected_cents"]), "outstanding": usd(r["outstanding_cents"]),
                              "href": f"/finance/invoices?agency={r['agency_id']}"} for r in revenue]
        # Chart values in dollars: the axis reads in people's units.
        self.revenue_chart = [{"agency": r["agency"], "Collected": r["collected_cents"] / 100,
                               "Outstanding": r["outstanding_cents"] / 100} for r in revenue[:12]]
        annual = reports.annual(actor, self.year or None)
        self.year = annual["year"]
        self.annual_chart = [{"month": MONTHS[m["month"] - 1][:3], "Actual": m["actual_cents"] / 100,
                              "Pending": m["pending_cents"] / 100} for m in annual["months"]]
        self.annual_rows = [{"month": MONTHS[m["month"] - 1], "actual": usd(m["actual_cents"]), "pending": usd(m["pending_cents"])}
                            for m in annual["months"]]
        self.totals = {"actual": usd(annual["totals"]["actual_cents"]), "pending": usd(annual["totals"]["pending_cents"])}
        self.aging_rows = [{"bucket": r["bucket"], "invoices": str(r["invoices"]), "outstanding": usd(r["outstanding_cents"])}
                           for r in reports.aging(actor)]
        self.loaded = True

    @rx.event
    @acting_as("finance", "admin", reset=True)
    def load(self, actor):
        self.year = 0
        self._show(actor)

    @rx.event
    @acting_as("finance", "admin")
    def change_year(self, actor, year: str):
        self.year = int(year) if year.isdigit() else 0
        self._show(actor)

    @rx.var
    def years(self) -> list[str]:
        current = self.year or 2026
        return [str(y) for y in range(current + 1, current - 6, -1)]

    @rx.event
    @acting_as("finance", "admin")
    def download_revenue(self, actor):
        filename, body = reports.revenue_csv(actor)
        return rx.download(data=body, filename=filename, mime_type="text/csv")

    @rx.event
    @acting_as("finance", "admin")
    def download_annual_csv(self, actor):
        filename, body = reports.annual_csv(actor, self.year or None)
        return rx.download(data=body, filename=filename, mime_type="text/csv")

    @rx.event
    @acting_as("finance", "admin")
    def download_annual_pdf(self, actor):
        filename, body = reports.annual_pdf(actor, self.year or None)
        return rx.download(data=body, filename=filename, mime_type="application/pdf")

    @rx.event
    @acting_as("finance", "admin")
    def download_aging(self, actor):
        filename, body = reports.aging_csv(actor)
        return rx.download(data=body, filename=filename, mime_type="text/csv")
