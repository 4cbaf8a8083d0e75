from typing import ClassVar

import reflex as rx

from services.auth import accounts as auth
from services.kernel.errors import DomainError
from state.handlers import Feedback
from state.session import SessionState


class RegisterState(SessionState, Feedback):
    form_fields: ClassVar[frozenset[str]] = frozenset({"name", "email", "password", "phone", "tax_id", "address"})

    @rx.event
    def submit(self, form: dict):
        self._clear_feedback()
        try:
            auth.register(form, client_address=self._client(), entry_point="web")
            token = auth.login({"email": form.get("email", ""), "password": form.get("password", "")},
                               client_address=self._client(), entry_point="web")
        except DomainError as exc:
            self._refuse(exc)
            return
        self._hand_off(token.access_token, "/traveler")
