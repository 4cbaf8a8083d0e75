from typing import ClassVar

import reflex as rx

from services.core.formatting import plural, status_value, when
from services.auth import users
from state.handlers import Feedback, acting_as, loads
from state.pagination import Paginated
from state.session import PortalState


class AdminUsersState(PortalState, Feedback, Paginated):
    form_fields: ClassVar[frozenset[str]] = frozenset({"name", "email", "password", "role"})
    rows: list[dict[str, str]] = []
    # Bumped after an account is created, so the form starts empty; a refused one keeps what was typed.
    form_version: int = 0
    role_filter: str = "all"
    search: str = ""
    sort: str = "email"
    # The account waiting for the admin to confirm a disable / enable.
    confirm_id: str = ""
    confirm_email: str = ""
    confirm_disable: bool = True

    @rx.var
    def total_words(self) -> str:
        return plural(self.total, "account")

    @loads("the accounts")
    def _reload(self):
        actor = self.actor_with("admin")
        if actor is None:
            self._reset_portal()
            return
        role = None if self.role_filter == "all" else self.role_filter
        items, self.total = users.list_users(actor, role=role, search=self.search, sort=self.sort,
                                             page=self.page, per_page=self.per_page)
        self.rows = [
            {"id": u.id, "email": u.email, "name": u.name, "role": status_value(u.role),
             "status": "disabled" if u.disabled else "active", "created": when(u.created_at),
             "last_sign_in": when(u.last_sign_in_at) or "never"}
            for u in items
        ]

    @rx.event
    def load(self):
        self._reset_portal()
        self._reload()

    @rx.event
    def filter_role(self, role: str):
        self.role_filter, self.page = role, 1
        self._reload()

    @rx.event
    def find(self, form: dict):
        self.search, self.page = str(form.get("q", "")).strip()[:100], 1
        self._reload()

    @rx.event
    def sort_by(self, sort: str):
        self.sort, self.page = (sort if sort in users.USER_SORTS else "email"), 1
        self._reload()

    @rx.event
    @acting_as("admin", refused="Only admins may create accounts.")
    def create(self, actor, form: dict):
        user = users.create_user(actor, form)
        self.notice = f"Created {user.email} ({form.get('role')})."
        self.form_version += 1
        self._reload()

    @rx.event
    def ask_toggle(self, user_id: str, email: str, disable: bool):
        self.confirm_id, self.confirm_email, self.confirm_disable = user_id, email, disable

    @rx.event
    def cancel_toggle(self):
        self.confirm_id = ""

    @rx.event
    @acting_as("admin")
    def confirm_toggle(self, actor):
        user_id, self.confirm_id = self.confirm_id, ""
        if not user_id:
            return
        user = users.update_user(actor, user_id, {"disabled": self.confirm_disable})
        self.notice = f"{user.email} is now {'disabled' if user.disabled else 'active'}."
        self._reload()
