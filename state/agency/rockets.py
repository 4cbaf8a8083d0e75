from typing import ClassVar

import reflex as rx

from services.core.formatting import range_word
from services.agency import rockets
from services.kernel.errors import DomainError
from state.handlers import DialogFeedback, acting_as
from state.pagination import Paginated
from state.params import parse_id
from state.session import PortalState


class AgencyRocketsState(PortalState, DialogFeedback, Paginated):
    form_fields: ClassVar[frozenset[str]] = frozenset({"name", "capacity", "range"})
    rows: list[dict[str, str]] = []
    # Bumped after a rocket is added, so the add form starts empty; a refused one keeps what was typed.
    form_version: int = 0
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
                      "range_word": range_word(r.range),
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
        self.form_version += 1
        self._reload(actor)

    @rx.event
    def start_edit(self, rocket_id: str, name: str, capacity: str, rocket_range: str):
        self._clear_feedback()
        self.edit_id, self.edit_name, self.edit_capacity, self.edit_range = rocket_id, name, capacity, rocket_range

    @rx.event
    def cancel_edit(self):
        self._close_edit()

    @rx.event
    def edit_open_changed(self, is_open: bool):
        if not is_open:
            self._close_edit()

    def _close_edit(self) -> None:
        self.edit_id, self.dialog_error, self.dialog_errors = "", "", {}

    @rx.event
    @acting_as("agency")
    def save_edit(self, actor, form: dict):
        if not self.edit_id:
            return
        try:
            rocket = rockets.update_rocket(actor, parse_id(self.edit_id), form)
        except DomainError as exc:
            self._refuse_in_dialog(exc)  # the dialog stays open, as typed, the message inside
            return
        self.edit_id = ""
        self.notice = f"Saved {rocket.name}."
        self._reload(actor)

    @rx.event
    def ask_delete(self, rocket_id: str, name: str):
        self._clear_feedback()
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
