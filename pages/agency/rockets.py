import reflex as rx

from components.confirm import confirm_dialog, return_focus
from components.forms import field, form_card, pager, select_field
from components.layout import error_callout, protected, success_callout
from components.tables import table_root
from state.agency.rockets import AgencyRocketsState
from state.session import SessionState

RANGES = ["suborbital", "low_earth_orbit", "interplanetary"]


def _create_form() -> rx.Component:
    return form_card(
        rx.grid(
            field("Name", "name"),
            field("Passenger seats (1-100)", "capacity", type="number", min=1, max=100),
            select_field("Range", "range", RANGES, default="low_earth_orbit"),
            columns="3", spacing="3", width="100%",
        ),
        title="Add a rocket", on_submit=AgencyRocketsState.create, reset_on_submit=True,
        submit_label="Add rocket", submit_id="rocket-submit", form_id="rocket-form",
    )


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["name"]), rx.table.cell(row["capacity"]), rx.table.cell(rx.badge(row["range"])),
        rx.table.cell(rx.text(row["destinations"], size="1")), rx.table.cell(row["open"]),
        rx.table.cell(rx.hstack(
            rx.button("Edit", size="1", variant="soft", on_click=AgencyRocketsState.start_edit(row["id"], row["name"], row["capacity"], row["range"])),
            rx.button("Delete", size="1", variant="soft", color_scheme="red",
                      on_click=AgencyRocketsState.ask_delete(row["id"], row["name"])),
            spacing="2")),
    )


def _labelled(label: str, control_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, as_="label", custom_attrs={"htmlFor": control_id}, size="2", weight="medium"), control,
                     spacing="1", width="100%")


def _edit_dialog() -> rx.Component:
    state = AgencyRocketsState
    return rx.dialog.root(
        rx.dialog.content(
            return_focus(),
            rx.dialog.title("Edit rocket"),
            rx.dialog.description("Open launches follow the new capacity; it cannot drop below the seats already sold.",
                                  size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    _labelled("Name", "edit-name", rx.input(name="name", id="edit-name", default_value=state.edit_name,
                                                            required=True, width="100%")),
                    _labelled("Passenger seats (1-100)", "edit-capacity",
                              rx.input(name="capacity", id="edit-capacity", type="number", min=1, max=100,
                                       default_value=state.edit_capacity, required=True, width="100%")),
                    _labelled("Range", "edit-range", rx.el.select(
                        *[rx.el.option(r, value=r) for r in RANGES], name="range", id="edit-range",
                        default_value=state.edit_range, style={"width": "100%", "padding": "6px"})),
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
        on_open_change=state.cancel_edit,  # Esc and a click outside close it, as Cancel does
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
        error_callout(AgencyRocketsState.error),
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
