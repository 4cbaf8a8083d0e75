import reflex as rx

from components.forms import field
from components.layout import error_callout, layout
from state.public.register import RegisterState


@rx.page(route="/register", title="Register · AstroBookings")
def register() -> rx.Component:
    return layout(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Create your traveler account", size="6"),
                    rx.text("We need your contact and tax data so agencies can invoice you properly.", size="2", color_scheme="gray"),
                    error_callout(RegisterState.form_error),
                    field("Full name", "name", errors=RegisterState.field_errors, auto_complete="name", auto_focus=True),
                    field("Email", "email", errors=RegisterState.field_errors, type="email", auto_complete="email"),
                    field("Password (at least 12 characters)", "password", errors=RegisterState.field_errors, type="password", auto_complete="new-password", min_length=12),
                    field("Phone", "phone", errors=RegisterState.field_errors, type="tel", auto_complete="tel"),
                    field("Tax id", "tax_id", errors=RegisterState.field_errors),
                    field("Address", "address", errors=RegisterState.field_errors, auto_complete="street-address"),
                    rx.button("Create account", type="submit", width="100%", id="register-submit"),
                    rx.text("Already registered? ", rx.link("Sign in", href="/login"), size="2"),
                    spacing="3", width="100%",
                ),
                on_submit=RegisterState.submit,
            ),
            width="100%", max_width="30em", margin_x="auto",
        ),
    )
