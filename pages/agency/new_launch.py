import reflex as rx

from components.forms import field, field_error, form_card, invalid_attrs
from components.layout import error_callout, protected
from state.agency.new_launch import NewLaunchState
from state.session import SessionState

_SELECT_STYLE = {"width": "100%", "padding": "6px", "border_radius": "6px", "border": "1px solid var(--gray-a7)",
                 "background": "var(--color-surface)"}


def _select(label: str, name: str, options, value_key: str, label_key: str, **props) -> rx.Component:
    errors = NewLaunchState.field_errors
    return rx.vstack(
        rx.text(label, as_="label", custom_attrs={"htmlFor": name}, size="2", weight="medium"),
        rx.el.select(rx.foreach(options, lambda o: rx.el.option(o[label_key], value=o[value_key])),
                     name=name, id=name, required=True, style=_SELECT_STYLE,
                     custom_attrs=invalid_attrs(name, errors), **props),
        field_error(name, errors.get(name, "")),
        spacing="1", width="100%",
    )


def _form() -> rx.Component:
    return form_card(
        _select("Rocket", "rocket_id", NewLaunchState.rockets, "id", "label",
                value=NewLaunchState.rocket_id, on_change=NewLaunchState.pick_rocket),
        rx.grid(
            _select("Spaceport", "spaceport", NewLaunchState.spaceports, "code", "name"),
            _select("Destination (within the rocket's range)", "destination", NewLaunchState.destinations, "code", "name"),
            field("Date and time (UTC)", "date", type="datetime-local", errors=NewLaunchState.field_errors),
            field("Price per seat (USD)", "price", input_mode="decimal", placeholder="250000.00",
                  errors=NewLaunchState.field_errors),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
        rx.text("Seats offered are the rocket's capacity. Bookings open as soon as the launch is scheduled.",
                size="2", color_scheme="gray"),
        on_submit=NewLaunchState.submit, submit_label="Schedule launch", submit_id="launch-submit", form_id="launch-form",
    )


@rx.page(route="/agency/launches/new", title="Schedule a launch · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), NewLaunchState.load])
def agency_new_launch() -> rx.Component:
    return protected(
        rx.link("← All launches", href="/agency/launches", size="2"),
        rx.heading("Schedule a launch", size="7", id="portal-title"),
        error_callout(NewLaunchState.form_error),
        rx.cond(
            NewLaunchState.blocked != "",
            rx.callout(rx.text(NewLaunchState.blocked, " ", rx.link("Fix it here.", href=NewLaunchState.blocked_href)),
                       icon="info", color_scheme="amber", id="schedule-blocked"),
            rx.cond(NewLaunchState.loaded, _form(), rx.center(rx.spinner(), padding="2em", aria_busy="true", role="status", aria_label="Loading")),
        ),
        width="44em",
    )
