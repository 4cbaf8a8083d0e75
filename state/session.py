"""The signed-in session, and the server-side guard every protected page and handler runs.

The token lives in a SameSite=Strict cookie (never localStorage). Every check decodes it on the
server and re-reads the account, so signing out or being disabled takes effect at once.
"""
import reflex as rx

from services import auth
from services.actor import Actor
from services.errors import DomainError

HOME_BY_ROLE = {"traveler": "/traveler", "agency": "/agency", "finance": "/finance", "it": "/it", "admin": "/admin"}


class SessionState(rx.State):
    token: str = rx.Cookie("", name="ab_session", same_site="strict", max_age=8 * 3600)
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    # True only after the server has checked the role for the page being shown.
    authorized: bool = False

    def _client(self) -> str | None:
        return self.router.session.client_ip or None

    def actor(self) -> Actor | None:
        """The acting user, freshly checked against the account store; None when signed out."""
        try:
            return auth.authenticate(self.token, entry_point="web", client_address=self._client())
        except DomainError:
            return None

    def actor_with(self, *roles: str) -> Actor | None:
        """For handlers of page states (substates of this one): the actor if allowed, else None."""
        actor = self.actor()
        if actor is None or (roles and actor.role not in roles):
            return None
        return actor

    def _present(self, actor: Actor | None) -> None:
        self.user_name = actor.name if actor else ""
        self.user_email = actor.email if actor else ""
        self.user_role = actor.role if actor else ""

    @rx.event
    def refresh(self):
        actor = self.actor()
        if actor is None and self.token:
            self.token = ""
        self._present(actor)

    @rx.event
    def guard(self, roles: str = ""):
        """on_load of every protected page: anonymous -> login, wrong role -> 403.

        `roles` is a comma-separated list ("finance,admin"); empty means any signed-in user.
        """
        self.authorized = False
        allowed = [r for r in roles.split(",") if r]
        actor = self.actor()
        self._present(actor)
        if actor is None:
            self.token = ""
            return rx.redirect(f"/login?next={self.router.url.path}")
        if allowed and actor.role not in allowed:
            return rx.redirect("/forbidden")
        self.authorized = True

    @rx.event
    def sign_out(self):
        if self.token:
            try:
                auth.logout(self.token, entry_point="web", client_address=self._client())
            except DomainError:
                pass
        self.token = ""
        self.authorized = False
        self._present(None)
        return rx.redirect("/")

    @rx.var
    def signed_in(self) -> bool:
        return self.user_role != ""

    @rx.var
    def home_path(self) -> str:
        return HOME_BY_ROLE.get(self.user_role, "/")
