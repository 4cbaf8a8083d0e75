from typing import ClassVar

import reflex as rx

from services.agency import profile as agencies
from state.handlers import Feedback, acting_as
from state.session import PortalState

FIELDS = ("name", "tax_id", "legal_address", "contact_email", "contact_phone")


class AgencyProfileState(PortalState, Feedback):
    form_fields: ClassVar[frozenset[str]] = frozenset(FIELDS)
    profile: dict[str, str] = {}
    can_schedule: bool = False
    missing: str = ""
    loaded: bool = False

    def _show(self, profile) -> None:
        self.profile = {f: getattr(profile, f) or "" for f in FIELDS}
        self.can_schedule = profile.can_schedule
        self.missing = " and ".join(agencies.REQUIRED_TO_SCHEDULE[f] for f in profile.missing)
        self.loaded = True

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("agency")
        if actor is None:
            return
        self._show(agencies.get_profile(actor))

    @rx.event
    @acting_as("agency", refused="Only agencies may edit an agency profile.")
    def save(self, actor, form: dict):
        profile = agencies.update_profile(actor, {f: form.get(f, "") for f in FIELDS})
        self._show(profile)
        self.notice = "Profile saved."
