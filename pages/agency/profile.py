import reflex as rx

from components.forms import field, form_card
from components.layout import error_callout, protected, success_callout
from state.agency.profile import AgencyProfileState
from state.session import SessionState


def _input(label: str, name: str, **props) -> rx.Component:
    return field(label, name, default_value=AgencyProfileState.profile[name], errors=AgencyProfileState.field_errors, **props)


def _form() -> rx.Component:
    return form_card(
        _input("Agency name", "name"),
        _input("Tax id", "tax_id", required=False, placeholder="e.g. US-EIN 12-3456789"),
        _input("Legal address", "legal_address", required=False),
        rx.grid(
            _input("Contact email", "contact_email", type="email", required=False),
            _input("Contact phone", "contact_phone", type="tel", required=False),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
        on_submit=AgencyProfileState.save, submit_label="Save profile", submit_id="profile-submit", form_id="profile-form",
    )


@rx.page(route="/agency/profile", title="Profile · Agency · AstroBookings",
         on_load=[SessionState.guard("agency"), AgencyProfileState.load])
def agency_profile() -> rx.Component:
    return protected(
        rx.heading("Agency profile", size="7", id="portal-title"),
        rx.text("Travelers see your agency name on every launch. Invoices use your tax id and legal address.",
                color_scheme="gray"),
        rx.cond(
            AgencyProfileState.loaded & ~AgencyProfileState.can_schedule,
            rx.callout(rx.text("Add your ", AgencyProfileState.missing,
                               " to schedule launches: AstroBookings invoices need them."),
                       icon="info", color_scheme="amber", id="profile-incomplete"),
        ),
        error_callout(AgencyProfileState.form_error),
        success_callout(AgencyProfileState.notice),
        # Rendered once loaded, so the inputs start with the saved values.
        rx.cond(AgencyProfileState.loaded, _form(), rx.center(rx.spinner(), padding="2em", aria_busy="true", role="status", aria_label="Loading")),
        width="44em",
    )
