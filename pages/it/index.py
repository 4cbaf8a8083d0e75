import reflex as rx

from components.portal import welcome
from state.session import SessionState


@rx.page(route="/it", title="IT operations · AstroBookings", on_load=SessionState.guard("it"))
def it_home() -> rx.Component:
    return welcome("IT operations", "System health, activity logs, the notification queue and data sync live here.")
