import reflex as rx

from components.forms import pager
from components.layout import link_button, protected
from components.tables import table_root
from components.states import list_states
from state.agency.launches import STATUS_FILTERS, AgencyLaunchesState
from state.session import SessionState


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["date"], href=row["href"])), rx.table.cell(row["rocket"]),
        rx.table.cell(row["spaceport"]), rx.table.cell(row["destination"]),
        rx.table.cell(rx.badge(row["status"], color_scheme=row["color"])), rx.table.cell(row["seats"]),
        rx.table.cell(row["price"]),
        id="launch-row-" + row["id"],
    )


@rx.page(route="/agency/launches", title="Launches · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), AgencyLaunchesState.load])
def agency_launches() -> rx.Component:
    return protected(
        rx.hstack(rx.heading("Launches", size="7", id="portal-title"), rx.spacer(),
                  link_button("Schedule a launch", "/agency/launches/new", id="new-launch"),
                  align="center", width="100%"),
        rx.hstack(
            rx.text("Show", size="2"),
            rx.select(STATUS_FILTERS, value=AgencyLaunchesState.status_filter, on_change=AgencyLaunchesState.filter_status, size="1",
                      custom_attrs={"aria-label": "Status"}),
            rx.spacer(),
            rx.text(AgencyLaunchesState.total, " launches", size="2", color_scheme="gray"),
            align="center", width="100%",
        ),
        list_states(
            table_root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Date", "Rocket", "Spaceport", "Destination", "Status", "Seats sold", "Price per seat")])),
                rx.table.body(rx.foreach(AgencyLaunchesState.rows, _row)),
                width="100%", id="launches-table",
            ),
            what="your launches", empty=AgencyLaunchesState.total == 0, error=AgencyLaunchesState.load_error,
            empty_view=rx.text("No launches match this filter.", color_scheme="gray", id="no-launches"),
        ),
        pager(AgencyLaunchesState.page, AgencyLaunchesState.pages, AgencyLaunchesState.prev_page, AgencyLaunchesState.next_page),
    )
