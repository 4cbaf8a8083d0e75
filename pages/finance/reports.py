import reflex as rx

from components.layout import error_callout, protected
from components.tables import table_root
from state.finance.reports import FinanceReportsState as S
from state.session import SessionState


def _download(label: str, handler, button_id: str) -> rx.Component:
    return rx.button(rx.icon("download", size=16), label, on_click=handler, variant="soft", size="2", id=button_id)


def _table(headers: list[str], rows, keys: list[str], table_id: str) -> rx.Component:
    return rx.box(table_root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, lambda r: rx.table.row(*[rx.table.cell(r[k]) for k in keys]))),
        width="100%", id=table_id), overflow_x="auto", width="100%")


def _bars(data, x_key: str, series: list[tuple[str, str]], chart_id: str, stacked: bool = False) -> rx.Component:
    return rx.box(rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key=x_key), rx.recharts.y_axis(),
        rx.recharts.graphing_tooltip(), rx.recharts.legend(),
        *[rx.recharts.bar(data_key=key, fill=color, **({"stack_id": "money"} if stacked else {})) for key, color in series],
        data=data, width="100%", height=280), id=chart_id, width="100%")


def _revenue() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading("Revenue per agency", size="5", as_="h2"), rx.spacer(),
                  _download("CSV", S.download_revenue, "download-revenue"), width="100%", align="center"),
        rx.cond(S.revenue_rows.length() > 0, rx.vstack(
            _bars(S.revenue_chart, "agency", [("Collected", "var(--green-9)"), ("Outstanding", "var(--amber-9)")], "revenue-chart",
                  stacked=True),
            _table(["Agency", "Launches", "Invoiced", "Collected", "Outstanding"], S.revenue_rows,
                   ["agency", "launches", "invoiced", "collected", "outstanding"], "revenue-table"), width="100%"),
            rx.text("No agency has been invoiced yet.", color_scheme="gray")),
        width="100%", spacing="3")


def _annual() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading("Annual report", size="5", as_="h2"),
                  rx.select(S.years, value=S.year.to_string(), on_change=S.change_year, id="report-year",
                            custom_attrs={"aria-label": "Year"}),
                  rx.spacer(), _download("CSV", S.download_annual_csv, "download-annual-csv"),
                  _download("PDF", S.download_annual_pdf, "download-annual-pdf"), width="100%", align="center", wrap="wrap"),
        rx.hstack(rx.text("Actual (collected): ", rx.text.strong(S.totals["actual"], id="annual-actual")),
                  rx.text("Pending (invoiced, not collected): ", rx.text.strong(S.totals["pending"], id="annual-pending")),
                  spacing="5", wrap="wrap"),
        _bars(S.annual_chart, "month", [("Actual", "var(--green-9)"), ("Pending", "var(--amber-9)")], "annual-chart"),
        _table(["Month", "Actual", "Pending"], S.annual_rows, ["month", "actual", "pending"], "annual-table"),
        width="100%", spacing="3")


def _aging() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading("Receivables aging", size="5", as_="h2"), rx.spacer(),
                  _download("CSV", S.download_aging, "download-aging"), width="100%", align="center"),
        _table(["Days late", "Invoices", "Still owed"], S.aging_rows, ["bucket", "invoices", "outstanding"], "aging-table"),
        width="100%", spacing="3")


@rx.page(route="/finance/reports", title="Reports · Finance · AstroBookings",
         on_load=[SessionState.guard("finance,admin"), S.load])
def finance_reports() -> rx.Component:
    return protected(
        rx.heading("Reports", size="7", id="portal-title"),
        error_callout(S.error),
        rx.cond(S.loaded, rx.vstack(_annual(), rx.divider(), _revenue(), rx.divider(), _aging(), spacing="5", width="100%"),
                rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading")),
    )
