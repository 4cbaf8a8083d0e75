import reflex as rx

from components.confirm import confirm_dialog
from components.forms import field
from components.layout import error_callout, protected, success_callout
from components.tables import table_root
from state.agency.launch import ABORT_REASONS
from state.agency.launch import AgencyLaunchState as S
from state.session import SessionState


def _fact(label: str, value, fact_id: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), rx.text(value, weight="medium", id=fact_id), spacing="0")


def _summary() -> rx.Component:
    info = S.info
    return rx.card(rx.grid(
        _fact("Status", rx.badge(info["status"], color_scheme=info["color"], size="2"), "launch-status"),
        _fact("Date", info["date"], "launch-date"),
        _fact("Rocket", info["rocket"], "launch-rocket"),
        _fact("Spaceport", info["spaceport"], "launch-spaceport"),
        _fact("Destination", info["destination"], "launch-destination"),
        _fact("Price per seat", info["price"], "launch-price"),
        _fact("Seats sold / offered", info["seats"], "launch-seats"),
        _fact("Money collected (paid minus refunded)", S.money["collected"], "launch-collected"),
        columns=rx.breakpoints(initial="2", md="4"), spacing="4", width="100%",
    ), width="100%")


def _actions() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Change status", size="4", as_="h2"),
        rx.cond(S.can_delay, rx.form(
            rx.flex(field("New date and time (UTC)", "date", type="datetime-local", errors=S.field_errors),
                    field("Reason (optional)", "reason", required=False, errors=S.field_errors),
                    rx.button("Delay launch", type="submit", id="delay-submit", variant="soft"),
                    align="end", spacing="3", width="100%", direction=rx.breakpoints(initial="column", sm="row")),
            on_submit=S.delay, key=S.form_version, id="delay-form",
        )),
        rx.hstack(
            rx.hstack(
                rx.text("Abort reason", as_="label", custom_attrs={"htmlFor": "abort-reason"}, size="2"),
                rx.el.select(*[rx.el.option(r, value=r) for r in ABORT_REASONS], value=S.abort_reason,
                             on_change=S.set_abort_reason, id="abort-reason", style={"padding": "6px"}),
                rx.button("Abort…", color_scheme="red", variant="soft", on_click=S.ask("aborted"), id="abort-button"),
                spacing="2", align="center"),
            rx.cond(
                S.can_record_outcome,
                rx.hstack(
                    rx.button("Mark launched…", color_scheme="green", on_click=S.ask("launched"), id="launched-button"),
                    rx.button("Mark failed…", color_scheme="gray", on_click=S.ask("failed"), id="failed-button"),
                    spacing="4"),
                rx.text("Launched or failed can be recorded from the launch date on.", size="2",
                        color_scheme="gray", id="outcome-not-due"),
            ),
            spacing="4", wrap="wrap",
        ),
        spacing="3", width="100%",
    ), width="100%")


def _confirm_dialog() -> rx.Component:
    return confirm_dialog(
        open=S.pending != "", title="Please confirm", description=S.confirm_text,
        on_cancel=S.cancel_confirm, on_confirm=S.confirm, confirm_id="confirm-status",
        color=rx.cond(S.pending == "aborted", "red", "indigo"),
    )


def _table(headers: list[str], rows, cells, table_id: str, empty: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        table_root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, lambda r: rx.table.row(*[rx.table.cell(r[c]) for c in cells]))),
            width="100%", id=table_id, size="1",
        ),
        rx.text(empty, color_scheme="gray", size="2", id=table_id + "-empty"),
    )


def _manifest_row(r: dict) -> rx.Component:
    cancelled = r["status"] == "cancelled"
    return rx.table.row(
        rx.table.cell(r["booking"]),
        rx.table.cell(rx.badge(r["status"], color_scheme=rx.cond(cancelled, "gray", "green"))),
        rx.table.cell(r["name"]), rx.table.cell(r["email"]), rx.table.cell(r["phone"]), rx.table.cell(r["birth_date"]),
        rx.table.cell(r["seats"]), rx.table.cell(r["paid"]), rx.table.cell(r["refunded"]), rx.table.cell(r["booked_by"]),
        style=rx.cond(cancelled, {"opacity": "0.7"}, {}),
    )


def _manifest() -> rx.Component:
    """Every passenger of every paid booking; a cancelled booking stays, marked, with its refund."""
    headers = ["Booking", "Status", "Passenger", "Email", "Phone", "Birth date", "Seats", "Paid", "Refunded", "Booked by"]
    return rx.cond(
        S.passengers.length() > 0,
        rx.box(table_root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(S.passengers, _manifest_row)),
            width="100%", id="passengers-table", size="1",
        ), overflow_x="auto", width="100%"),
        rx.text("No passengers yet.", color_scheme="gray", size="2", id="passengers-table-empty"),
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.vstack(rx.heading(S.info["rocket"], " to ", S.info["destination"], size="6", id="portal-title"),
                            rx.text(S.info["slug"], size="2", color_scheme="gray", id="launch-slug"), spacing="1"),
                  width="100%", align="center"),
        _summary(),
        rx.cond(S.info["abort_reason"] != "", rx.text("Aborted: ", S.info["abort_reason"], color_scheme="red")),
        rx.cond(S.moves.length() > 0, _actions()),
        rx.hstack(rx.heading("Passenger manifest", size="4", as_="h2"), rx.spacer(),
                  rx.button(rx.icon("download", size=16), "Manifest (CSV)", on_click=S.download_manifest,
                            id="download-manifest", variant="soft", size="2"),
                  width="100%", align="center"),
        rx.text(S.money["bookings"], " · paid ", S.money["paid"], " · refunded ", S.money["refunded"],
                size="2", color_scheme="gray", id="launch-money"),
        _manifest(),
        rx.heading("Status history", size="4", as_="h2"),
        _table(["When", "Change", "New date", "Reason", "By"], S.history, ["at", "change", "new_date", "reason", "by"],
               "history-table", "No status changes yet."),
        _confirm_dialog(),
        spacing="4", width="100%",
    )


@rx.page(route="/agency/launches/[agency_launch]", title="Launch · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), S.load])
def agency_launch() -> rx.Component:
    return protected(
        rx.link("← All launches", href="/agency/launches", size="2"),
        error_callout(S.form_error),
        success_callout(S.notice),
        rx.cond(S.found, _content(),
                rx.cond(S.error == "", rx.center(rx.spinner(), padding="2em", aria_busy="true", role="status", aria_label="Loading"))),
    )
