import reflex as rx

from components.layout import link_button, protected
from components.tables import table_root
from state.agency.index import AgencyDashboardState
from state.session import SessionState


def _stat(label: str, value, stat_id: str) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color_scheme="gray"), rx.text(value, size=rx.breakpoints(initial="5", sm="6"), weight="bold", as_="div", id=stat_id,
                                     overflow_wrap="anywhere"),
                             spacing="1"), width="100%")


def _chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="launch", hide=True),
        rx.recharts.y_axis(allow_decimals=False),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        rx.recharts.bar(data_key="sold", name="Seats sold", stack_id="seats", fill="var(--indigo-9)"),
        rx.recharts.bar(data_key="free", name="Seats free", stack_id="seats", fill="var(--gray-6)"),
        data=AgencyDashboardState.chart, width="100%", height=280,
    )


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["date"], href=row["href"])), rx.table.cell(row["rocket"]),
        rx.table.cell(row["destination"]), rx.table.cell(rx.badge(row["status"], color_scheme=row["color"])),
        rx.table.cell(row["seats"]),
    )


@rx.page(route="/agency", title="Dashboard · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), AgencyDashboardState.load])
def agency_home() -> rx.Component:
    return protected(
        rx.hstack(rx.heading("Agency dashboard", size="7", id="portal-title"), rx.spacer(),
                  link_button("Schedule a launch", "/agency/launches/new"), width="100%", align="center"),
        rx.cond(AgencyDashboardState.profile_warning != "",
                rx.callout(rx.text(AgencyDashboardState.profile_warning, " ", rx.link("Open your profile.", href="/agency/profile")),
                           icon="info", color_scheme="amber", id="profile-warning")),
        rx.grid(
            _stat("Open launches", AgencyDashboardState.open_launches, "stat-open"),
            _stat("Seats sold / offered", rx.text(AgencyDashboardState.seats_sold, " / ", AgencyDashboardState.seats_offered), "stat-seats"),
            _stat("Occupancy", rx.text(AgencyDashboardState.occupancy_percent, "%"), "stat-occupancy"),
            _stat("Money collected", AgencyDashboardState.collected, "stat-collected"),
            columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%",
        ),
        rx.heading("Upcoming launches", size="4", as_="h2"),
        rx.cond(
            AgencyDashboardState.rows.length() > 0,
            rx.vstack(
                rx.card(_chart(), width="100%", id="occupancy-chart"),
                table_root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Date", "Rocket", "Destination", "Status", "Seats sold")])),
                    rx.table.body(rx.foreach(AgencyDashboardState.rows, _row)),
                    width="100%", id="upcoming-table",
                ),
                width="100%", spacing="3",
            ),
            rx.text("No upcoming launches. Add a rocket, then schedule your first launch.", color_scheme="gray", id="no-upcoming"),
        ),
    )
