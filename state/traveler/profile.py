"""The traveler's contact and tax data."""
from typing import ClassVar

import reflex as rx

from services.auth import accounts as auth
from state.handlers import Feedback, acting_as
from state.session import PortalState


class ProfileState(PortalState, Feedback):
    form_fields: ClassVar[frozenset[str]] = frozenset({"name", "phone", "tax_id", "address"})
    name: str = ""
    phone: str = ""
    tax_id: str = ""
    address: str = ""
    # Bumped on every load, so the form remounts with the stored values as its defaults.
    form_version: int = 0

    def _show(self, profile) -> None:
        self.name, self.phone = profile.name, profile.phone or ""
        self.tax_id, self.address = profile.tax_id or "", profile.address or ""
        self.form_version += 1

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("traveler")
        if actor is not None:
            self._show(auth.me(actor))

    @rx.event
    @acting_as("traveler", refused="Sign in as a traveler to edit this profile.")
    def save(self, actor, form: dict):
        profile = auth.update_profile(actor, {k: form.get(k, "") for k in ("name", "phone", "tax_id", "address")})
        self._show(profile)
        self.user_name = profile.name
        self.notice = "Your profile is saved."
