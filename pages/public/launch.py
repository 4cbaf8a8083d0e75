import reflex as rx

from components.local_time import local_time
from components.layout import layout, link_button
from state.public.launch import LaunchState


def _fact(label: str, value, id: str | None = None) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray", weight="medium"),
                     rx.text(value, size="3", id=id), spacing="1")


def _details() -> rx.Component:
    card = LaunchState.card
    return rx.vstack(
        rx.link("← All launches", href="/launches", size="2"),
        rx.heading(card["name"], size="8", id="launch-name"),
        rx.text(LaunchState.description, size="3", color_scheme="gray"),
        rx.cond(LaunchState.updated != "", rx.text(LaunchState.updated, size="1", color_scheme="amber", id="catalog-updated")),
        rx.card(
            rx.grid(
                _fact("Agency", card["agency"]), _fact("Rocket", card["rocket"]), _fact("Spaceport", card["spaceport"]),
                _fact("Destination", card["destination"]), _fact("Date", local_time(card["iso"], card["date"]), id="launch-date"),
                _fact("Price per seat", card["price"], id="launch-price"),
                _fact("Status", card["status"], id="launch-status"),
                rx.vstack(rx.text("Free seats", size="1", color_scheme="gray", weight="medium"),
                          rx.text(LaunchState.seats_free, size="7", weight="bold", as_="div", id="seats-free"),
                          rx.text(LaunchState.seats_text, size="1", color_scheme="gray", id="seats-text"), spacing="1"),
                columns=rx.breakpoints(initial="2", md="4"), spacing="5", width="100%",
            ),
            width="100%",
        ),
        rx.cond(
            LaunchState.open,
            link_button("Book seats", f"/traveler/book/{card['slug']}", size="3", id="book-button"),
            rx.callout(f"This launch is not open for booking: {LaunchState.seats_text}.", icon="info", id="not-open"),
        ),
        spacing="4", width="100%",
    )


@rx.page(route="/launches/[slug]", title=LaunchState.title, description=LaunchState.description,
         on_load=LaunchState.load)
def launch_page() -> rx.Component:
    return layout(
        rx.cond(
            LaunchState.not_found,
            rx.vstack(rx.heading("Launch not found", size="7", id="launch-missing"),
                      rx.text("This launch does not exist or is no longer published."),
                      link_button("See launches with free seats", "/launches"), spacing="4"),
            _details(),
        ),
    )
