import reflex as rx

from components.forms import field
from components.layout import error_callout, protected, success_callout
from state.session import SessionState
from state.traveler.profile import ProfileState


@rx.page(route="/traveler/profile", title="My profile · AstroBookings",
         on_load=[SessionState.guard("traveler"), ProfileState.load])
def traveler_profile() -> rx.Component:
    return protected(
        rx.heading("My profile", size="7", id="portal-title"),
        rx.text("Agencies invoice you with these contact and tax data.", color_scheme="gray"),
        rx.card(
            rx.form(
                rx.vstack(
                    error_callout(ProfileState.form_error),
                    success_callout(ProfileState.notice),
                    rx.text("Email: ", SessionState.user_email, size="2", color_scheme="gray"),
                    field("Full name", "name", auto_complete="name", default_value=ProfileState.name,
                          errors=ProfileState.field_errors),
                    field("Phone", "phone", type="tel", auto_complete="tel", default_value=ProfileState.phone,
                          errors=ProfileState.field_errors),
                    field("Tax id", "tax_id", default_value=ProfileState.tax_id,
                          errors=ProfileState.field_errors),
                    field("Address", "address", auto_complete="street-address", default_value=ProfileState.address,
                          errors=ProfileState.field_errors),
                    rx.button("Save profile", type="submit", id="profile-submit"),
                    spacing="3", width="100%",
                ),
                on_submit=ProfileState.save, key=ProfileState.form_version, id="profile-form",
            ),
            width="100%", max_width="34em",
        ),
    )
