import reflex as rx

from components.forms import field
from components.layout import error_callout, layout
from state.public.login import LoginState


@rx.page(route="/login", title="Sign in · AstroBookings", on_load=LoginState.open)
def login() -> rx.Component:
    return layout(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Sign in", size="6"),
                    error_callout(LoginState.form_error),
                    field("Email", "email", errors=LoginState.field_errors, type="email", auto_complete="email", auto_focus=True),
                    field("Password", "password", errors=LoginState.field_errors, type="password", auto_complete="current-password"),
                    rx.button("Sign in", type="submit", width="100%", id="login-submit"),
                    rx.text("New here? ", rx.link("Create a traveler account", href="/register"), size="2"),
                    spacing="3", width="100%",
                ),
                on_submit=LoginState.submit,
            ),
            width="100%", max_width="26em", margin_x="auto",
        ),
    )
