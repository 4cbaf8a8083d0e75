import reflex as rx

from components import invoice
from components.forms import field
from components.layout import error_callout, protected, success_callout
from state.agency.invoices import AgencyInvoiceState as S
from state.session import SessionState


def _pay_form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Pay by card", size="4", as_="h2"),
        rx.text("Pays what this invoice still owes: ", rx.text.strong(S.info["outstanding"]), ".", size="2"),
        field("Card number", "card_number", autocomplete="cc-number", inputmode="numeric",
              aria_invalid=S.error_field == "card_number"),
        rx.text("Sandbox: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined.", size="1", color_scheme="gray"),
        rx.button("Pay ", S.info["outstanding"], type="submit", id="pay-invoice"),
        spacing="3", width="100%"), on_submit=S.pay, reset_on_submit=True, id="pay-form"), width="100%")


@rx.page(route="/agency/invoices/[agency_invoice]", title="Invoice · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), S.load])
def agency_invoice() -> rx.Component:
    return protected(
        invoice.header(S, "/agency/invoices"),
        error_callout(S.error), success_callout(S.notice),
        rx.cond(S.found,
                rx.vstack(invoice.summary(S), rx.heading("Lines", size="4", as_="h2"), invoice.lines(S),
                          rx.heading("Payments", size="4", as_="h2"), invoice.payments(S),
                          rx.cond(S.info["open"] == "yes", _pay_form()), spacing="4", width="100%"),
                rx.cond(S.error == "", rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading"))),
    )
