import reflex as rx

from components.portal import welcome
from state.session import SessionState


@rx.page(route="/traveler", title="My trips · AstroBookings", on_load=SessionState.guard("traveler"))
def traveler_home() -> rx.Component:
    return welcome("My trips", "Your bookings will show here once you book a seat.")
