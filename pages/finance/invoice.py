import reflex as rx

from components import invoice
from components.confirm import confirm_dialog
from components.forms import field, select_field
from components.layout import error_callout, protected, success_callout
from state.finance.invoice import FinanceInvoiceState as S
from state.session import SessionState


def _payment_form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Record a payment", size="4", as_="h2"),
        rx.grid(
            field("Amount (USD)", "amount", placeholder="1000.00", aria_invalid=S.error_field == "amount_cents"),
            select_field("Method", "method", ["bank_transfer", "card"], default="bank_transfer"),
            field("Bank reference", "reference", required=False, aria_invalid=S.error_field == "reference"),
            field("Paid on", "paid_on", type="date", required=False, aria_invalid=S.error_field == "paid_on"),
            field("Card number (card payments)", "card_number", required=False, autocomplete="off",
                  aria_invalid=S.error_field == "card_number"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        rx.button("Record payment", type="submit", id="record-payment"),
        spacing="3", width="100%"), on_submit=S.record_payment, reset_on_submit=True, id="payment-form"), width="100%")


def _cancel_form() -> rx.Component:
    return rx.card(rx.form(rx.vstack(
        rx.heading("Cancel this invoice", size="4", as_="h2"),
        rx.text("A cancellation invoice with negative lines is issued; the original stays on record.", size="2",
                color_scheme="gray"),
        field("Reason", "reason", placeholder="Wrong buyer address", aria_invalid=S.error_field == "reason"),
        rx.hstack(rx.checkbox(name="reissue", default_checked=True, id="reissue"),
                  rx.text("Issue a new invoice from the launch's current figures", as_="label", custom_attrs={"htmlFor": "reissue"}, size="2"),
                  align="center"),
        rx.button("Cancel invoice…", type="submit", color_scheme="red", variant="soft", id="cancel-invoice"),
        spacing="3", width="100%"), on_submit=S.ask_cancel, id="cancel-form"), width="100%")


def _reverse_button(p: dict) -> rx.Component:
    return rx.button(p["toggle_label"], size="1", variant="soft", color_scheme="gray",
                     on_click=S.correct_payment(p["id"], p["toggle"]), id="toggle-payment-" + p["id"])


@rx.page(route="/finance/invoices/[finance_invoice]", title="Invoice · Finance · AstroBookings",
         on_load=[SessionState.guard("finance,admin"), S.load])
def finance_invoice() -> rx.Component:
    return protected(
        invoice.header(S, "/finance/invoices"),
        error_callout(S.error),
        success_callout(S.notice),
        rx.cond(
            S.found,
            rx.vstack(
                invoice.summary(S),
                rx.heading("Lines", size="4", as_="h2"), invoice.lines(S),
                rx.heading("Payments", size="4", as_="h2"), invoice.payments(S, _reverse_button),
                rx.cond(S.info["open"] == "yes", _payment_form()),
                rx.cond(S.info["cancellable"] == "yes", _cancel_form()),
                spacing="4", width="100%"),
            rx.cond(S.error == "", rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading")),
        ),
        confirm_dialog(open=S.confirm_cancel, title="Cancel this invoice?",
                       description=["Invoice ", S.info["number"], " will be cancelled by a cancellation invoice. ",
                                    rx.cond(S.reissue, "A new invoice will be issued. ", ""), "This cannot be undone."],
                       on_cancel=S.keep_invoice, on_confirm=S.cancel, confirm_id="confirm-cancel-invoice",
                       confirm_label="Cancel invoice", cancel_label="Keep it"),
    )
