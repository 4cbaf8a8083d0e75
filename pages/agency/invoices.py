import reflex as rx

from components import invoice
from components.forms import pager
from components.layout import protected
from state.agency.invoices import AgencyInvoicesState as S
from state.session import SessionState


@rx.page(route="/agency/invoices", title="Invoices · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), S.load])
def agency_invoices() -> rx.Component:
    return protected(
        rx.heading("Invoices", size="7", id="portal-title"),
        rx.text("AstroBookings invoices 1% of a launch's net revenue after it flies (0.8% once you have two successful "
                "launches) and a flat $1,000.00 after an abort. Invoices are due in 30 days.", size="2", color_scheme="gray"),
        rx.cond(~S.loaded, rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading"),
                rx.cond(S.total > 0, invoice.invoice_table(S.rows, show_agency=False),
                        rx.text("No invoice yet: one is issued when a launch of yours ends.", color_scheme="gray",
                                id="no-invoices"))),
        pager(S.page, S.pages, S.prev_page, S.next_page),
    )
