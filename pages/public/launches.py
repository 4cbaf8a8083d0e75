import reflex as rx

from components.forms import pager
from components.layout import error_callout, layout
from components.states import list_states
from pages.public.cards import launch_grid
from astrobookings.models.reference import DESTINATIONS
from state.public.launches import LaunchesState

RANGES = ["suborbital", "low_earth_orbit", "interplanetary"]
_SELECT_STYLE = {"width": "100%", "padding": "6px", "border_radius": "6px", "border": "1px solid var(--gray-a7)",
                 "background": "var(--color-surface)"}


def _labelled(label: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(rx.text(label, as_="label", custom_attrs={"htmlFor": html_for}, size="2", weight="medium"), control,
                     spacing="1", width="100%")


def _select(label: str, name: str, options: list[str], value, on_change) -> rx.Component:
    return _labelled(label, rx.el.select(
        rx.el.option("Any", value="any"), *[rx.el.option(o.replace("_", " ").replace("-", " ").capitalize(), value=o) for o in options],
        id=name, name=name, value=value, on_change=on_change, style=_SELECT_STYLE), name)


def _filters() -> rx.Component:
    return rx.card(
        rx.form(
            rx.grid(
                _select("Destination", "destination", DESTINATIONS, LaunchesState.destination, LaunchesState.set_destination),
                _select("Range", "range", RANGES, LaunchesState.range, LaunchesState.set_range),
                _labelled("From", rx.input(type="date", name="from", id="from", default_value=LaunchesState.date_from, width="100%"), "from"),
                _labelled("To", rx.input(type="date", name="to", id="to", default_value=LaunchesState.date_to, width="100%"), "to"),
                _labelled("Maximum price per seat (USD)", rx.input(type="number", name="max_price", id="max_price", min=0,
                                                                  default_value=LaunchesState.max_price, width="100%"), "max_price"),
                columns=rx.breakpoints(initial="1", sm="2", md="5"), spacing="3", width="100%",
            ),
            rx.hstack(
                rx.button("Search", type="submit", id="search-submit"),
                rx.button("Clear filters", type="button", variant="soft", color_scheme="gray", on_click=LaunchesState.clear),
                spacing="3", margin_top="0.8em",
            ),
            on_submit=LaunchesState.apply, id="launch-filters", aria_label="Filter launches",
            key=LaunchesState.form_version,
        ),
        width="100%",
    )


@rx.page(route="/launches", title="Launches with free seats · AstroBookings",
         description="Search commercial space flights with free seats by destination, range, date and price.",
         on_load=LaunchesState.load)
def launches() -> rx.Component:
    return layout(
        rx.heading("Launches with free seats", size="7", id="launches-title"),
        _filters(),
        error_callout(LaunchesState.error),
        rx.text(LaunchesState.total, " launch(es) match", size="2", color_scheme="gray", id="launch-count"),
        list_states(
            launch_grid(LaunchesState.rows),
            what="the launches", empty=LaunchesState.total == 0, error=LaunchesState.load_error,
            empty_view=rx.callout("No launch with free seats matches these filters. Try a wider date window or another "
                                  "destination.", icon="search", color_scheme="gray", id="no-results"),
        ),
        pager(LaunchesState.page, LaunchesState.pages, LaunchesState.prev_page, LaunchesState.next_page),
    )
