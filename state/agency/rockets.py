import reflex as rx

from services import rockets
from services.errors import DomainError
from state.pagination import Paginated
from state.session import SessionState


class AgencyRocketsState(SessionState, Paginated):
    rows: list[dict[str, str]] = []
    error: str = ""
    notice: str = ""
    # The rocket being edited in the dialog, and the one waiting for a delete confirmation.
    edit_id: str = ""
    edit_name: str = ""
    edit_capacity: str = ""
    edit_range: str = ""
    confirm_id: str = ""
    confirm_name: str = ""

    def _reload(self, actor=None) -> None:
        actor = actor or self.actor_with("agency")
        if actor is None:
            return
        items, self.total = rockets.list_rockets(actor, page=self.page, per_page=self.per_page)
        self.rows = [{"id": str(r.id), "name": r.name, "capacity": str(r.capacity), "range": r.range.value,
                      "destinations": ", ".join(r.destinations), "open": str(r.open_launches)} for r in items]

    @rx.event
    def load(self):
        self.error, self.notice, self.page, self.edit_id, self.confirm_id = "", "", 1, "", ""
        actor = self.actor_with("agency")
        if actor is not None:
            self._reload(actor)

    @rx.event
    def create(self, form: dict):
        self.error, self.notice = "", ""
        actor = self.actor_with("agency")
        if actor is None:
            self.error = "Only agencies may add rockets."
            return
        try:
            rocket = rockets.create_rocket(actor, form)
        except DomainError as exc:
            self.error = exc.message
            return
        self.notice = f"Added {rocket.name} ({rocket.capacity} seats)."
        self._reload(actor)

    @rx.event
    def start_edit(self, rocket_id: str, name: str, capacity: str, rocket_range: str):
        self.error, self.notice = "", ""
        self.edit_id, self.edit_name, self.edit_capacity, self.edit_range = rocket_id, name, capacity, rocket_range

    @rx.event
    def cancel_edit(self):
        self.edit_id = ""

    @rx.event
    def save_edit(self, form: dict):
        self.error, self.notice = "", ""
        actor = self.actor_with("agency")
        rocket_id, self.edit_id = self.edit_id, ""
        if actor is None or not rocket_id:
            return
        try:
            rocket = rockets.update_rocket(actor, int(rocket_id), form)
        except DomainError as exc:
            self.error = exc.message
            return
        self.notice = f"Saved {rocket.name}."
        self._reload(actor)

    @rx.event
    def ask_delete(self, rocket_id: str, name: str):
        self.error, self.notice = "", ""
        self.confirm_id, self.confirm_name = rocket_id, name

    @rx.event
    def cancel_delete(self):
        self.confirm_id = ""

    @rx.event
    def confirm_delete(self):
        actor = self.actor_with("agency")
        rocket_id, self.confirm_id = self.confirm_id, ""
        if actor is None or not rocket_id:
            return
        try:
            rockets.delete_rocket(actor, int(rocket_id))
        except DomainError as exc:
            self.error = exc.message
            return
        self.notice = f"Deleted {self.confirm_name}."
        self._reload(actor)
