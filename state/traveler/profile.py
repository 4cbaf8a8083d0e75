"""The traveler's contact and tax data."""
import reflex as rx

from services import auth
from services.errors import DomainError
from state.session import SessionState


class ProfileState(SessionState):
    name: str = ""
    phone: str = ""
    tax_id: str = ""
    address: str = ""
    error: str = ""
    error_field: str = ""
    notice: str = ""
    # Bumped on every load, so the form remounts with the stored values as its defaults.
    form_version: int = 0

    def _show(self, profile) -> None:
        self.name, self.phone = profile.name, profile.phone or ""
        self.tax_id, self.address = profile.tax_id or "", profile.address or ""
        self.form_version += 1

    @rx.event
    def load(self):
        self.error, self.error_field, self.notice = "", "", ""
        actor = self.actor_with("traveler")
        if actor is not None:
            self._show(auth.me(actor))

    @rx.event
    def save(self, form: dict):
        self.error, self.error_field, self.notice = "", "", ""
        actor = self.actor_with("traveler")
        if actor is None:
            self.error = "Sign in as a traveler to edit this profile."
            return
        try:
            profile = auth.update_profile(actor, {k: form.get(k, "") for k in ("name", "phone", "tax_id", "address")})
        except DomainError as exc:
            self.error, self.error_field = exc.message, exc.field or ""
            return
        self._show(profile)
        self.user_name = profile.name
        self.notice = "Your profile is saved."
