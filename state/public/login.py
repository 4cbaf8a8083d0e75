import reflex as rx

from services import auth
from services.errors import DomainError
from state.session import HOME_BY_ROLE, SessionState


def _safe_next(target: str | None, fallback: str) -> str:
    # Only same-site paths: never send a signed-in user to another host.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return fallback


class LoginState(SessionState):
    error: str = ""
    busy: bool = False

    @rx.event
    def open(self):
        self.error = ""
        if self.actor() is not None:
            return rx.redirect(HOME_BY_ROLE.get(self.user_role, "/"))

    @rx.event
    def submit(self, form: dict):
        self.error = ""
        try:
            token = auth.login({"email": form.get("email", ""), "password": form.get("password", "")},
                               client_address=self._client(), entry_point="web")
        except DomainError as exc:
            self.error = exc.message
            return
        self.token = token.access_token
        self.refresh()
        target = self.router.url.query_parameters.get("next")
        return rx.redirect(_safe_next(target, HOME_BY_ROLE.get(str(token.role.value if hasattr(token.role, "value") else token.role), "/")))
