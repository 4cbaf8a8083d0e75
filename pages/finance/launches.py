import reflex as rx

from components.forms import pager
from components.layout import error_callout, protected, success_callout
from components.tables import table_root
from state.finance.launches import FinanceLaunchesState as S
from state.session import SessionState


def _row(r: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["date"]), rx.table.cell(r["agency"]), rx.table.cell(r["rocket"]),
        rx.table.cell(rx.badge(r["status"], color_scheme=r["color"])), rx.table.cell(r["net"]),
        rx.table.cell(rx.cond(r["invoice"] != "", rx.link(r["invoice"], href=r["invoice_href"]),
                              rx.cond(r["can_issue"] == "yes",
                                      rx.button("Issue invoice", size="1", on_click=S.issue(r["id"]), id="issue-" + r["id"]),
                                      rx.text("no fee", size="2", color_scheme="gray")))),
        id="ended-launch-" + r["id"])


@rx.page(route="/finance/launches", title="Ended launches · Finance · AstroBookings",
         on_load=[SessionState.guard("finance,admin"), S.load])
def finance_launches() -> rx.Component:
    return protected(
        rx.heading("Ended launches", size="7", id="portal-title"),
        rx.text("Launches that flew, failed or were aborted, with their net revenue (paid bookings minus refunds) "
                "and their invoice.", size="2", color_scheme="gray"),
        error_callout(S.error), success_callout(S.notice),
        rx.cond(~S.loaded, rx.center(rx.spinner(size="3"), padding="2em", aria_busy="true", role="status", aria_label="Loading"),
                rx.cond(S.total > 0,
                        rx.box(table_root(
                            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                           ("Date", "Agency", "Rocket", "Outcome", "Net revenue", "Invoice")])),
                            rx.table.body(rx.foreach(S.rows, _row)), width="100%", id="ended-launches"),
                            overflow_x="auto", width="100%"),
                        rx.text("No launch has ended yet.", color_scheme="gray", id="no-launches"))),
        pager(S.page, S.pages, S.prev_page, S.next_page),
    )
