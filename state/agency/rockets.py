import reflex as rx

from services.agency import rockets
from state.handlers import Feedback, acting_as
from state.pagination import Paginated
from state.params import parse_id
from state.session import PortalState


class AgencyRocketsState(PortalState, Feedback, Paginated):
    rows: list[dict[str, str]] = []
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
            self._reset_portal()
            return
        items, self.total = rockets.list_rockets(actor, page=self.page, per_page=self.per_page)
        self.rows = [{"id": str(r.id), "name": r.name, "capacity": str(r.capacity), "range": r.range.value,
                      "destinations": ", ".join(r.destinations), "open": str(r.open_launches)} for r in items]

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("agency")
        if actor is not None:
            self._reload(actor)

    @rx.event
    @acting_as("agency", refused="Only agencies may add rockets.")
    def create(self, actor, form: dict):
        rocket = rockets.create_rocket(actor, form)
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
    @acting_as("agency")
    def save_edit(self, actor, form: dict):
        rocket_id, self.edit_id = self.edit_id, ""
        if not rocket_id:
            return
        rocket = rockets.update_rocket(actor, parse_id(rocket_id), form)
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
    @acting_as("agency")
    def confirm_delete(self, actor):
        rocket_id, self.confirm_id = self.confirm_id, ""
        if not rocket_id:
            return
        rockets.delete_rocket(actor, parse_id(rocket_id))
        self.notice = f"Deleted {self.confirm_name}."
        self._reload(actor)
