import reflex as rx

from services import auth
from services.errors import DomainError
from state.session import SessionState


class RegisterState(SessionState):
    error: str = ""
    error_field: str = ""

    @rx.event
    def submit(self, form: dict):
        self.error, self.error_field = "", ""
        try:
            auth.register(form, client_address=self._client(), entry_point="web")
            token = auth.login({"email": form.get("email", ""), "password": form.get("password", "")},
                               client_address=self._client(), entry_point="web")
        except DomainError as exc:
            self.error, self.error_field = exc.message, exc.field or ""
            return
        self.token = token.access_token
        self.refresh()
        return rx.redirect("/traveler")
