import reflex as rx

from components.forms import field
from components.layout import error_callout, layout
from components.states import list_states
from pages.public.cards import launch_grid
from services.core.models.reference import DESTINATIONS
from services.core.formatting import range_word
from state.public.launches import SORTS, LaunchesState

RANGES = ["suborbital", "low_earth_orbit", "interplanetary"]
_SELECT_STYLE = {"width": "100%", "padding": "6px", "border_radius": "6px", "border": "1px solid var(--gray-a7)",
                 "background": "var(--color-surface)"}


def _labelled(label: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(rx.text(label, as_="label", custom_attrs={"htmlFor": html_for}, size="2", weight="medium"), control,
                     spacing="1", width="100%")


def _select(label: str, name: str, options: list[tuple[str, str]], value) -> rx.Component:
    return _labelled(label, rx.el.select(
        *[rx.el.option(text, value=key) for key, text in options],
        id=name, name=name, default_value=value, style=_SELECT_STYLE), name)


def _words(codes: list[str], words=None) -> list[tuple[str, str]]:
    return [("any", "Any")] + [(c, (words or (lambda c: c.replace("-", " ").capitalize()))(c)) for c in codes]


def _filters() -> rx.Component:
    errors = LaunchesState.field_errors
    return rx.card(
        rx.form(
            rx.grid(
                _select("Destination", "destination", _words(DESTINATIONS), LaunchesState.destination),
                _select("Range", "range", _words(RANGES, range_word), LaunchesState.range),
                _labelled("From", rx.input(type="date", name="from", id="from", default_value=LaunchesState.date_from, width="100%"), "from"),
                _labelled("To", rx.input(type="date", name="to", id="to", default_value=LaunchesState.date_to, width="100%"), "to"),
                # Text, not type=number: a browser silently empties a malformed number, and a
                # visitor must hear why "-5" or "abc" is refused.
                field("Maximum price per seat (USD)", "max_price", required=False, errors=errors, input_mode="decimal",
                      default_value=LaunchesState.max_price, placeholder="250000"),
                field("Seats needed", "seats_needed", required=False, errors=errors, input_mode="numeric",
                      default_value=LaunchesState.seats_needed, placeholder="1"),
                _select("Sort", "sort", list(SORTS.items()), LaunchesState.sort),
                columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="3", width="100%",
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


def _pages() -> rx.Component:
    """Real links (crawlers and "open in a new tab" follow them), to addresses that keep the search."""
    return rx.hstack(
        rx.cond(LaunchesState.page > 1, rx.link("← Previous page", href=LaunchesState.prev_url, id="prev-page")),
        rx.text("Page ", LaunchesState.page, " of ", LaunchesState.pages, size="2", id="page-of"),
        rx.cond(LaunchesState.page < LaunchesState.pages, rx.link("Next page →", href=LaunchesState.next_url, id="next-page")),
        align="center", spacing="4", role="navigation", aria_label="Pages of results",
    )


@rx.page(route="/launches", title="Launches with free seats · AstroBookings",
         description="Search commercial space flights with free seats by destination, range, date and price.",
         on_load=LaunchesState.load)
def launches() -> rx.Component:
    return layout(
        rx.heading("Launches with free seats", size="7", id="launches-title"),
        _filters(),
        error_callout(LaunchesState.error),
        rx.text(LaunchesState.count_words, size="2", color_scheme="gray", id="launch-count"),
        rx.cond(LaunchesState.updated != "", rx.text(LaunchesState.updated, size="1", color_scheme="amber", id="catalog-updated")),
        list_states(
            launch_grid(LaunchesState.rows),
            what="the launches", empty=LaunchesState.total == 0, error=LaunchesState.load_error,
            empty_view=rx.callout("No launch with free seats matches these filters. Try a wider date window or another "
                                  "destination.", icon="search", color_scheme="gray", id="no-results"),
        ),
        _pages(),
    )
