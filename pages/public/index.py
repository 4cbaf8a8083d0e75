import reflex as rx

from components.layout import layout, link_button
from components.states import list_states
from pages.public.cards import launch_grid
from state.public.launches import HomeState


@rx.page(route="/", title="AstroBookings · Seats on commercial space flights",
         description="Book a seat on a commercial space flight: suborbital hops, orbital stays, the Moon and Mars.",
         on_load=HomeState.load)
def index() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Book your seat to space", size="9"),
            rx.text("Suborbital hops, orbital stays and trips to the Moon and Mars, from the world's spaceports.", size="4", color_scheme="gray"),
            rx.hstack(link_button("Browse launches", "/launches", size="3"),
                      link_button("Create an account", "/register", size="3", variant="soft")),
            spacing="4", padding_y="2em",
        ),
        rx.heading("Next launches with free seats", size="6", as_="h2"),
        list_states(
            launch_grid(HomeState.upcoming, level="h3"),
            what="the next launches", empty=HomeState.upcoming.length() == 0, error=HomeState.load_error,
            empty_view=rx.text("No launch is open for booking right now. Check back soon.", color_scheme="gray",
                               id="no-launches"),
        ),
    )
