from typing import ClassVar

import reflex as rx

from services.core.urls import safe_local_path
from services.auth import accounts as auth
from services.kernel.errors import DomainError
from state.handlers import Feedback
from state.session import HOME_BY_ROLE, SessionState


class LoginState(SessionState, Feedback):
    form_fields: ClassVar[frozenset[str]] = frozenset({"email", "password"})
    busy: bool = False

    @rx.event
    def open(self):
        self.error = ""
        if self.actor() is not None:
            return rx.redirect(HOME_BY_ROLE.get(self.user_role, "/"))

    @rx.event
    def submit(self, form: dict):
        self._clear_feedback()
        try:
            token = auth.login({"email": form.get("email", ""), "password": form.get("password", "")},
                               client_address=self._client(), entry_point="web")
        except DomainError as exc:
            self._refuse(exc)
            return
        role = str(token.role.value if hasattr(token.role, "value") else token.role)
        # Only a path on this site: "//evil.example" and "/\\evil.example" fall back to the portal.
        target = safe_local_path(self.router.url.query_parameters.get("next"), HOME_BY_ROLE.get(role, "/"))
        self._hand_off(token.access_token, target)
