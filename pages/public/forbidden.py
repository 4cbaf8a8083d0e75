import reflex as rx

from components.layout import layout, link_button
from state.session import SessionState


@rx.page(route="/forbidden", title="403 · Not allowed · AstroBookings")
def forbidden() -> rx.Component:
    return layout(
        rx.center(
            rx.vstack(
                rx.heading("403 · Not allowed", size="8", id="forbidden-title"),
                rx.text("Your account's role may not open that page."),
                link_button("Go to my portal", SessionState.home_path),
                align="center", spacing="4",
            ),
            padding="4em",
        ),
    )
