import reflex as rx

from components import invoice
from components.layout import error_callout, protected
from state.finance.index import FinanceDashboardState as S
from state.session import SessionState


def _stat(label: str, value, note, stat_id: str) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color_scheme="gray"), rx.text(value, size=rx.breakpoints(initial="5", sm="6"), weight="bold", as_="div", id=stat_id,
                                     overflow_wrap="anywhere"),
                             rx.text(note, size="1", color_scheme="gray"), spacing="1"), width="100%")


@rx.page(route="/finance", title="Dashboard · Finance · AstroBookings",
         on_load=[SessionState.guard("finance,admin"), S.load])
def finance_home() -> rx.Component:
    return protected(
        rx.heading("Finance dashboard", size="7", id="portal-title"),
        error_callout(S.error),
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.grid(
                    _stat("Open receivables", S.figures["open"], "invoiced, not yet collected", "stat-open"),
                    _stat("Overdue", S.figures["overdue"], rx.text(S.figures["overdue_count"], " invoice(s) past due"), "stat-overdue"),
                    _stat("Invoiced this month", S.figures["month"], rx.text(S.figures["month_count"], " invoice(s)"), "stat-month"),
                    columns=rx.breakpoints(initial="1", sm="3"), spacing="4", width="100%"),
                rx.hstack(rx.heading("Latest invoices", size="4", as_="h2"), rx.spacer(),
                          rx.link("All invoices", href="/finance/invoices"), width="100%", align="center"),
                rx.cond(S.latest.length() > 0, invoice.invoice_table(S.latest, show_agency=True),
                        rx.text("No invoice has been issued yet. Invoices appear here when launches end.",
                                color_scheme="gray", id="no-invoices")),
                spacing="4", width="100%"),
            rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading"),
        ),
    )
