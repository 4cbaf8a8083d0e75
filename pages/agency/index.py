import reflex as rx

from components.portal import welcome
from state.session import SessionState


@rx.page(route="/agency", title="Agency · AstroBookings", on_load=SessionState.guard("agency"))
def agency_home() -> rx.Component:
    return welcome("Agency dashboard", "Your rockets, launches and their occupancy will show here.")
