"""The signed-in session, and the server-side guard every protected page and handler runs.

The session token lives only in an HttpOnly, SameSite=Strict cookie set by the server
(astrobookings/api/session.py): page scripts cannot read it and it never travels in the state.
Each event reads it from its websocket's handshake and re-checks it against the account store,
so signing out or being disabled takes effect at once. Signing in hands the page a one-time code
(`handoff`); the page trades it for the cookie and reloads, so the new websocket carries it.

Page states holding what only their user may see derive from PortalState. Whenever the person
behind a tab changes (sign-out, a new sign-in, an expired or revoked session, a refused guard),
every portal state is reset before anything is sent: on each (re)connect by SessionGuard, before
the state snapshot goes out, and in `guard`.
"""
from typing import Any
from urllib.parse import quote

import reflex as rx
from reflex.middleware import Middleware
from reflex_base import constants
from reflex_base.event import get_event

from services.auth import accounts as auth
from services.auth import sessions
from services.kernel.actor import Actor
from services.kernel.errors import DomainError

HOME_BY_ROLE = {"traveler": "/traveler", "agency": "/agency", "finance": "/finance", "it": "/it", "admin": "/admin"}


class SessionState(rx.State):
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    # True only after the server has checked the role for the page being shown.
    authorized: bool = False
    # A one-time sign-in code for the page to trade for the session cookie, and where to go next.
    handoff: str = ""
    handoff_to: str = ""
    # Whose data the portal states hold (backend only: never sent to the page).
    _owner: str = ""

    def _client(self) -> str | None:
        return self.router.session.client_ip or None

    def _token(self) -> str | None:
        return sessions.token_from_cookies(self.router.headers.cookie)

    def actor(self) -> Actor | None:
        """The acting user, freshly checked against the account store; None when signed out."""
        try:
            return auth.authenticate(self._token(), entry_point="web", client_address=self._client())
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

    def _hand_off(self, token: str, target: str) -> None:
        """Signed in: the page trades the code for the HttpOnly cookie, then opens `target`."""
        self.handoff, self.handoff_to = sessions.hand_off(token), target

    async def forget_protected(self) -> None:
        """Reset every portal state (loading each, so none is missed with Redis-kept state)."""
        pending = list(PortalState.get_substates())
        while pending:
            state_class = pending.pop()
            pending.extend(state_class.get_substates())
            (await self.get_state(state_class)).reset()
        self._owner = ""
        self.authorized = False

    async def reconcile(self) -> Actor | None:
        """Who is behind this tab now; when it is not whose data the portal states hold, reset them."""
        actor = self.actor()
        self._present(actor)
        current = actor.user_id if actor else ""
        if self._owner != current:
            await self.forget_protected()
            self._owner = current
        return actor

    @rx.event
    def refresh(self):
        self._present(self.actor())

    @rx.event
    async def guard(self, roles: str = ""):
        """on_load of every protected page: anonymous -> login, wrong role -> 403.

        `roles` is a comma-separated list ("finance,admin"); empty means any signed-in user.
        """
        self.authorized = False
        allowed = [r for r in roles.split(",") if r]
        actor = await self.reconcile()
        if actor is None:
            await self.forget_protected()
            return rx.redirect(f"/login?next={quote(self.router.url.path, safe='/')}")
        if allowed and actor.role not in allowed:
            await self.forget_protected()
            self._owner = actor.user_id
            return rx.redirect("/forbidden")
        self.authorized = True

    @rx.var
    def signed_in(self) -> bool:
        return self.user_role != ""

    @rx.var
    def home_path(self) -> str:
        return HOME_BY_ROLE.get(self.user_role, "/")


class PortalState(SessionState):
    """Base of every page state holding data only its signed-in user may see (see module doc).
    Loaders start with `_reset_portal()`, so they drop what the current user may not see before anything
    is sent, whatever happens next."""

    def _reset_portal(self) -> None:
        """Back to defaults; a form remount counter keeps moving forward so forms show fresh values."""
        version = getattr(self, "form_version", None)
        self.reset()
        if version is not None:
            self.form_version = version + 1


def _hydrate_events(state: rx.State) -> set[str]:
    return {get_event(state, constants.CompileVars.HYDRATE), get_event(state, constants.CompileVars.HYDRATE_AND_LOAD)}


class SessionGuard(Middleware):
    """Runs before Reflex sends a (re)connecting tab its full state: the portal states are reset
    when the person behind the tab changed, the identity shown is the current one, and a used
    sign-in code is dropped."""

    async def preprocess(self, app: Any, state: rx.State, event: Any):
        if event.name in _hydrate_events(state):
            session = await state.get_state(SessionState)
            session.handoff = session.handoff_to = ""
            await session.reconcile()
        return None
