import reflex as rx

from services import agencies
from services.errors import DomainError
from state.session import SessionState

FIELDS = ("name", "tax_id", "legal_address", "contact_email", "contact_phone")


class AgencyProfileState(SessionState):
    profile: dict[str, str] = {}
    can_schedule: bool = False
    missing: str = ""
    loaded: bool = False
    error: str = ""
    error_field: str = ""
    notice: str = ""

    def _show(self, profile) -> None:
        self.profile = {f: getattr(profile, f) or "" for f in FIELDS}
        self.can_schedule = profile.can_schedule
        self.missing = " and ".join(agencies.REQUIRED_TO_SCHEDULE[f] for f in profile.missing)
        self.loaded = True

    @rx.event
    def load(self):
        self.error, self.error_field, self.notice, self.loaded = "", "", "", False
        actor = self.actor_with("agency")
        if actor is None:
            return
        self._show(agencies.get_profile(actor))

    @rx.event
    def save(self, form: dict):
        self.error, self.error_field, self.notice = "", "", ""
        actor = self.actor_with("agency")
        if actor is None:
            self.error = "Only agencies may edit an agency profile."
            return
        try:
            profile = agencies.update_profile(actor, {f: form.get(f, "") for f in FIELDS})
        except DomainError as exc:
            self.error, self.error_field = exc.message, exc.field or ""
            return
        self._show(profile)
        self.notice = "Profile saved."
