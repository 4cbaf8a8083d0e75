import reflex as rx

from components.layout import layout


@rx.page(route="/", title="AstroBookings · Seats on commercial space flights")
def index() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Book your seat to space", size="9"),
            rx.text("Suborbital hops, orbital stays and trips to the Moon and Mars, from the world's spaceports.", size="4", color_scheme="gray"),
            rx.hstack(rx.link(rx.button("Browse launches", size="3"), href="/launches"),
                      rx.link(rx.button("Create an account", size="3", variant="soft"), href="/register")),
            spacing="4", padding_y="3em",
        ),
    )
