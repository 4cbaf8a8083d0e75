"""The page for addresses that lead nowhere, inside the site's frame (navigation, skip link).
"Home page" is the signed-in user's portal, or the landing page."""
import reflex as rx

from components.layout import layout, link_button
from state.session import SessionState


@rx.page(route="404", title="404 · Page not found · AstroBookings",
         description="This address leads to no page of AstroBookings.")
def not_found() -> rx.Component:
    return layout(
        rx.center(
            rx.vstack(
                rx.heading("404 · Page not found", size="8", id="not-found-title"),
                rx.text("There is no page at this address. It may have moved, or the link may be mistyped.",
                        color_scheme="gray", align="center"),
                rx.hstack(link_button("See launches with free seats", "/launches", id="not-found-launches"),
                          link_button("Home page", SessionState.home_path, variant="soft", id="not-found-home"),
                          spacing="3", wrap="wrap", justify="center"),
                align="center", spacing="4",
            ),
            padding_y="4em",
        ),
    )
