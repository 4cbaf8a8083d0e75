import reflex as rx

from services import users
from services.errors import DomainError
from state.pagination import Paginated
from state.session import SessionState


class AdminUsersState(SessionState, Paginated):
    rows: list[dict[str, str]] = []
    role_filter: str = "all"
    error: str = ""
    notice: str = ""
    # The account waiting for the admin to confirm a disable / enable.
    confirm_id: str = ""
    confirm_email: str = ""
    confirm_disable: bool = True

    def _reload(self):
        actor = self.actor_with("admin")
        if actor is None:
            return
        role = None if self.role_filter == "all" else self.role_filter
        items, self.total = users.list_users(actor, role=role, page=self.page, per_page=self.per_page)
        self.rows = [
            {"id": u.id, "email": u.email, "name": u.name, "role": str(u.role.value if hasattr(u.role, "value") else u.role),
             "status": "disabled" if u.disabled else "active"}
            for u in items
        ]

    @rx.event
    def load(self):
        self.error, self.notice, self.page = "", "", 1
        self._reload()

    @rx.event
    def filter_role(self, role: str):
        self.role_filter, self.page = role, 1
        self._reload()

    @rx.event
    def create(self, form: dict):
        self.error, self.notice = "", ""
        actor = self.actor_with("admin")
        if actor is None:
            self.error = "Only admins may create accounts."
            return
        try:
            user = users.create_user(actor, form)
        except DomainError as exc:
            self.error = exc.message
            return
        self.notice = f"Created {user.email} ({form.get('role')})."
        self._reload()

    @rx.event
    def ask_toggle(self, user_id: str, email: str, disable: bool):
        self.confirm_id, self.confirm_email, self.confirm_disable = user_id, email, disable

    @rx.event
    def cancel_toggle(self):
        self.confirm_id = ""

    @rx.event
    def confirm_toggle(self):
        actor = self.actor_with("admin")
        user_id, self.confirm_id = self.confirm_id, ""
        if actor is None or not user_id:
            return
        try:
            user = users.update_user(actor, user_id, {"disabled": self.confirm_disable})
        except DomainError as exc:
            self.error = exc.message
            return
        self.notice = f"{user.email} is now {'disabled' if user.disabled else 'active'}."
        self._reload()
