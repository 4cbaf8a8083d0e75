import reflex as rx

from components import invoice
from components.forms import pager
from components.layout import error_callout, protected
from state.finance.invoices import STATUS_FILTERS, FinanceInvoicesState as S
from state.session import SessionState


def _filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.vstack(rx.text("Status", as_="label", custom_attrs={"htmlFor": "status-filter"}, size="2"),
                      rx.select(STATUS_FILTERS, value=S.status_filter, on_change=S.filter_status, id="status-filter"), spacing="1"),
            rx.vstack(rx.text("Year", as_="label", custom_attrs={"htmlFor": "year"}, size="2"),
                      rx.input(name="year", id="year", placeholder="2027", default_value=S.year, max_length=4,
                               aria_invalid=S.error_field == "year"), spacing="1"),
            rx.vstack(rx.text("Number", as_="label", custom_attrs={"htmlFor": "number"}, size="2"),
                      rx.input(name="number", id="number", placeholder="AB-2027-00001", default_value=S.number,
                               max_length=20), spacing="1"),
            rx.button("Search", type="submit", id="search-invoices"),
            rx.button("Clear", type="button", variant="soft", color_scheme="gray", on_click=S.clear),
            align="end", spacing="3", wrap="wrap"),
        on_submit=S.search, width="100%")


@rx.page(route="/finance/invoices", title="Invoices · Finance · AstroBookings",
         on_load=[SessionState.guard("finance,admin"), S.load])
def finance_invoices() -> rx.Component:
    return protected(
        rx.heading("Invoices", size="7", id="portal-title"),
        _filters(),
        error_callout(S.error),
        rx.text(S.total, " invoice(s)", size="2", color_scheme="gray", id="invoice-count"),
        rx.cond(~S.loaded, rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading"),
                rx.cond(S.total > 0, invoice.invoice_table(S.rows, show_agency=True),
                        rx.text("No invoice matches these filters.", color_scheme="gray", id="no-invoices"))),
        pager(S.page, S.pages, S.prev_page, S.next_page),
    )
