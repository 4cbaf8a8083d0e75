"""/traveler/bookings/<id>/receipt: a booking's receipt to print or keep as PDF."""
import reflex as rx
from reflex.vars.function import FunctionStringVar

from components.layout import error_callout, protected
from components.tables import table_root
from state.session import SessionState
from state.traveler.receipt import ReceiptState as S

# Compiled into the page's script (no eval, so the CSP allows it).
_PRINT = FunctionStringVar.create("(() => window.print())")
_SCREEN_ONLY = {"@media print": {"display": "none"}}


def _line(line: dict) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(line["label"]), rx.table.cell(line["value"]))


_PASSENGER_COLUMNS = (("Name", "name"), ("Email", "email"), ("Phone", "phone"), ("Born", "born"))


def _passenger(p: dict) -> rx.Component:
    # data-label: the column's name, shown before each value when the table stacks on a phone.
    return rx.table.row(*[rx.table.cell(p[key], custom_attrs={"data-label": title}) for title, key in _PASSENGER_COLUMNS])


def _receipt() -> rx.Component:
    return rx.vstack(
        rx.heading(S.title, size="6", as_="h1", id="receipt-title"),
        table_root(rx.table.body(rx.foreach(S.lines, _line)), width="100%", id="receipt-lines"),
        rx.heading("Passengers", size="4", as_="h2"),
        rx.box(table_root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h, _ in _PASSENGER_COLUMNS])),
            rx.table.body(rx.foreach(S.passengers, _passenger)), width="100%", id="receipt-passengers",
            class_name="stack-on-phone"),
            overflow_x="auto", width="100%"),
        rx.cond(S.refund_terms.length() > 0, rx.box(
            rx.heading("If you cancel", size="4", as_="h2"),
            rx.el.ul(rx.foreach(S.refund_terms, lambda line: rx.el.li(rx.text(line, size="2")))),
            id="receipt-refund-terms", width="100%")),
        rx.text("AstroBookings · keep this receipt for your records.", size="1", color_scheme="gray"),
        spacing="4", width="100%", id="receipt",
    )


@rx.page(route="/traveler/bookings/[traveler_booking]/receipt", title="Receipt · AstroBookings",
         on_load=[SessionState.guard("traveler"), S.load])
def booking_receipt() -> rx.Component:
    return protected(
        rx.hstack(
            rx.link("← My bookings", href="/traveler"), rx.spacer(),
            rx.cond(S.booking_id > 0, rx.hstack(
                rx.button(rx.icon("printer", size=16), "Print", on_click=_PRINT, id="print-receipt"),
                rx.button(rx.icon("download", size=16), "PDF", on_click=S.download_pdf, variant="soft", id="receipt-pdf"),
                spacing="2")),
            width="100%", align="center", wrap="wrap", style=_SCREEN_ONLY,
        ),
        error_callout(S.error),
        rx.cond(S.booking_id > 0, _receipt(),
                rx.cond(S.error == "", rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading"))),
    )
