import reflex as rx

from components.confirm import confirm_dialog, return_focus
from components.forms import field, form_card, pager, select_field
from components.layout import error_callout, protected, success_callout
from components.tables import table_root
from services.core.formatting import range_word
from state.agency.rockets import AgencyRocketsState
from state.session import SessionState

RANGES = ["suborbital", "low_earth_orbit", "interplanetary"]


def _create_form() -> rx.Component:
    errors = AgencyRocketsState.field_errors
    return form_card(
        rx.grid(
            field("Name", "name", errors=errors),
            field("Passenger seats (1-100)", "capacity", type="number", min=1, max=100, errors=errors),
            select_field("Range", "range", RANGES, default="low_earth_orbit", errors=errors, words=range_word),
            columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
        ),
        title="Add a rocket", on_submit=AgencyRocketsState.create, key=AgencyRocketsState.form_version,
        submit_label="Add rocket", submit_id="rocket-submit", form_id="rocket-form",
    )


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["name"]), rx.table.cell(row["capacity"]), rx.table.cell(rx.badge(row["range_word"])),
        rx.table.cell(rx.text(row["destinations"], size="1")), rx.table.cell(row["open"]),
        rx.table.cell(rx.hstack(
            rx.button("Edit", size="1", variant="soft", on_click=AgencyRocketsState.start_edit(row["id"], row["name"], row["capacity"], row["range"])),
            rx.button("Delete", size="1", variant="soft", color_scheme="red",
                      on_click=AgencyRocketsState.ask_delete(row["id"], row["name"])),
            spacing="2")),
    )


def _edit_dialog() -> rx.Component:
    state = AgencyRocketsState
    errors = state.dialog_errors
    return rx.dialog.root(
        rx.dialog.content(
            return_focus(),
            rx.dialog.title("Edit rocket"),
            rx.dialog.description("Open launches follow the new capacity; it cannot drop below the seats already sold.",
                                  size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    # A refusal keeps the dialog open with what was typed; the message is shown here.
                    rx.cond(state.dialog_error != "", rx.callout(state.dialog_error, icon="triangle_alert", color_scheme="red",
                                                                 role="alert", id="edit-error", width="100%")),
                    field("Name", "name", control_id="edit-name", default_value=state.edit_name, errors=errors),
                    field("Passenger seats (1-100)", "capacity", control_id="edit-capacity", type="number", min=1, max=100,
                          default_value=state.edit_capacity, errors=errors),
                    select_field("Range", "range", RANGES, control_id="edit-range", default=state.edit_range,
                                 errors=errors, words=range_word),
                    rx.hstack(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=state.cancel_edit),
                        rx.button("Save", type="submit", id="edit-submit"),
                        spacing="3", justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=state.save_edit,
            ),
        ),
        open=state.edit_id != "",
        on_open_change=state.edit_open_changed,  # Esc or a click outside closes it
    )


def _delete_dialog() -> rx.Component:
    return confirm_dialog(
        open=AgencyRocketsState.confirm_id != "", title="Delete rocket?",
        description=["This removes ", AgencyRocketsState.confirm_name, " for good. Rockets with launches cannot be deleted."],
        on_cancel=AgencyRocketsState.cancel_delete, on_confirm=AgencyRocketsState.confirm_delete,
        confirm_id="confirm-delete", confirm_label="Delete",
    )


@rx.page(route="/agency/rockets", title="Rockets · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), AgencyRocketsState.load])
def agency_rockets() -> rx.Component:
    return protected(
        rx.heading("Rockets", size="7", id="portal-title"),
        error_callout(AgencyRocketsState.form_error),
        success_callout(AgencyRocketsState.notice),
        _create_form(),
        rx.cond(
            AgencyRocketsState.total > 0,
            table_root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Name", "Seats", "Range", "Destinations", "Open launches", "")])),
                rx.table.body(rx.foreach(AgencyRocketsState.rows, _row)),
                width="100%", id="rockets-table",
            ),
            rx.text("No rockets yet. Add your first one above.", color_scheme="gray", id="no-rockets"),
        ),
        pager(AgencyRocketsState.page, AgencyRocketsState.pages, AgencyRocketsState.prev_page, AgencyRocketsState.next_page),
        _edit_dialog(),
        _delete_dialog(),
    )
