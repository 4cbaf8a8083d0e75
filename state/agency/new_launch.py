from typing import ClassVar

import reflex as rx

from services.agency import profile as agencies
from services.agency import launches
from services.core.models.reference import DESTINATION_NAMES, SPACEPORTS
from services.kernel.errors import DomainError, ValidationFailed
from state.agency.shared import cents_from_usd
from state.handlers import Feedback, acting_as
from state.session import PortalState


class NewLaunchState(PortalState, Feedback):
    form_fields: ClassVar[frozenset[str]] = frozenset({"rocket_id", "spaceport", "destination", "date", "price"})
    field_aliases: ClassVar[dict[str, str]] = {"price_cents": "price"}
    # Rocket options as {"id", "label", "destinations"}; destinations follow the chosen rocket.
    rockets: list[dict[str, str]] = []
    rocket_id: str = ""
    destinations: list[dict[str, str]] = []
    blocked: str = ""
    blocked_href: str = ""
    loaded: bool = False

    @rx.var
    def spaceports(self) -> list[dict[str, str]]:
        return [{"code": code, "name": name} for code, name in SPACEPORTS.items()]

    def _pick(self, rocket_id: str) -> None:
        self.rocket_id = rocket_id
        chosen = next((r for r in self.rockets if r["id"] == rocket_id), None)
        codes = chosen["destinations"].split(",") if chosen else []
        self.destinations = [{"code": c, "name": DESTINATION_NAMES.get(c, c)} for c in codes]

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("agency")
        if actor is None:
            return
        missing, items = launches.schedule_options(actor)
        self.rockets = [{"id": str(r.id), "label": f"{r.name} ({r.capacity} seats, {r.range.value})",
                         "destinations": ",".join(r.destinations)} for r in items]
        if missing:
            words = " and ".join(agencies.REQUIRED_TO_SCHEDULE[f] for f in missing)
            self.blocked = f"Add your agency's {words} in your profile before scheduling launches: invoices need them."
            self.blocked_href = "/agency/profile"
        elif not items:
            self.blocked = "Add a rocket first: every launch flies on one of your rockets."
            self.blocked_href = "/agency/rockets"
        self._pick(self.rockets[0]["id"] if self.rockets else "")
        self.loaded = True

    @rx.event
    def pick_rocket(self, rocket_id: str):
        self._pick(rocket_id)

    @rx.event
    @acting_as("agency", refused="Only agencies may schedule launches.")
    def submit(self, actor, form: dict):
        price_refused = None
        try:
            price_cents = cents_from_usd(form.get("price", ""))
        except ValidationFailed as exc:
            # Still ask the service, with no price: every other wrong field is named at once too.
            price_refused, price_cents = exc, None
        data = {"rocket_id": form.get("rocket_id") or None, "spaceport": form.get("spaceport", ""),
                "destination": form.get("destination", ""), "date": form.get("date") or None,
                "price_cents": price_cents}
        try:
            launch = launches.schedule_launch(actor, data)
        except DomainError as exc:
            self._refuse(exc)
            if price_refused is not None:
                self.field_errors = {**self.field_errors, "price": price_refused.message}
            return None
        return rx.redirect(f"/agency/launches/{launch.id}")
