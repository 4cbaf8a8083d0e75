import reflex as rx

from components.portal import welcome
from state.session import SessionState


@rx.page(route="/finance", title="Finance · AstroBookings", on_load=SessionState.guard("finance"))
def finance_home() -> rx.Component:
    return welcome("Finance", "Invoices, payments and revenue reports live here.")
