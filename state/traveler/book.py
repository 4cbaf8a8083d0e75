"""Booking wizard: seats, a passenger per seat, review and pay, done.

The idempotency key is made when the wizard opens: a double click or a retried submit returns
the booking already made instead of making a second one.
"""
import uuid
from datetime import datetime, timezone

from typing import ClassVar

import reflex as rx

from services.auth import accounts as auth
from services.core.formatting import plural, usd as format_usd
from services.booking import bookings, catalog
from services.booking.rules import MAX_AGE, MIN_AGE, VIP_SEAT_LIMIT, passenger_problems, refund_policy
from services.kernel.errors import DomainError
from state.handlers import Feedback
from state.public.present import card_row
from state.session import PortalState

STEPS = ("seats", "passengers", "review")
MAX_SEATS = VIP_SEAT_LIMIT  # the most any traveler may book: the form has a slot per seat
FIELDS = ("name", "email", "phone", "birth_date")
_BLANK = {f: "" for f in FIELDS}


class BookState(PortalState, Feedback):
    """The step lives in the address (?step=passengers), so the browser's Back and Forward move
    between steps; the wizard's data stays while the same traveler stays on the same launch."""
    form_fields: ClassVar[frozenset[str]] = frozenset({"name", "email", "phone", "birth_date", "card_number"})
    step: str = "seats"  # seats | passengers | review | done | closed
    owner_id: str = ""
    passengers_ok: bool = False
    launch_date_iso: str = ""
    policy: list[str] = []
    launch: dict[str, str] = {}
    launch_id: int = 0
    price_cents: int = 0
    allowed: int = 0
    limit_note: str = ""
    seats: int = 1
    passengers: list[dict[str, str]] = [dict(_BLANK) for _ in range(MAX_SEATS)]
    idempotency_key: str = ""
    booking_id: int = 0
    form_version: int = 0
    # Where the keyboard focus goes next (components/focus.py): the new step's heading, so screen
    # readers announce it, or the first refused field; each change of the token moves it once.
    focus_selector: str = ""
    focus_token: int = 0

    @rx.var
    def seat_options(self) -> list[str]:
        return [str(n) for n in range(1, self.allowed + 1)]

    @rx.var
    def total(self) -> str:
        return format_usd(self.price_cents * self.seats)

    @rx.var
    def price(self) -> str:
        return format_usd(self.price_cents)

    def _slug(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    def _refresh_allowance(self, actor) -> None:
        card = catalog.get_launch(self.launch.get("slug") or self._slug())
        allowance = bookings.seat_allowance(actor, card.id)
        self.launch, self.launch_id, self.price_cents = card_row(card), card.id, card.price_cents
        self.launch_date_iso, self.policy = card.date.isoformat(), refund_policy(card.date, datetime.now(timezone.utc))
        self.allowed = min(allowance.allowed, card.seats_free, MAX_SEATS)
        who = "As a VIP you" if allowance.vip else "You"
        held = f" You already hold {allowance.held} on this launch." if allowance.held else ""
        self.limit_note = f"{who} can book up to {allowance.limit} seats on one launch.{held}"
        self.seats = max(1, min(self.seats, self.allowed))
        if not card.bookable:
            self.step, self.error = "closed", "Bookings are closed for this launch."
        elif card.seats_free == 0:
            self.step, self.error = "closed", "This launch is sold out."
        elif self.allowed == 0:
            self.step, self.error = "closed", f"{who} already hold the most seats allowed on this launch ({allowance.limit})."

    def _focus(self, selector: str) -> None:
        self.focus_selector, self.focus_token = selector, self.focus_token + 1

    def _step_url(self, step: str):
        return rx.redirect(f"/traveler/book/{self.launch.get('slug') or self._slug()}?step={step}")

    @rx.event
    def enter(self):
        """The page's loader: Back / Forward between steps of the wizard already open keep it;
        anything else (another launch, another traveler, a first visit) starts afresh."""
        actor = self.actor_with("traveler")
        wanted = self.router.url.query_parameters.get("step", "")
        same = (actor is not None and self.owner_id == actor.user_id and self.idempotency_key
                and self.launch.get("slug") == self._slug() and self.step != "closed")
        if same and self.step == "done" and wanted in STEPS:
            return None  # Back after paying shows the confirmation, never a second wizard
        if same and wanted in STEPS:
            # Back / Forward between steps: keep what was typed; review only once passengers passed.
            self._clear_feedback()
            self.step = "review" if wanted == "review" and self.passengers_ok else \
                ("passengers" if wanted == "review" else wanted)
            self.form_version += 1
            self._focus(f'#step-heading[data-step="{self.step}"]')
            return None
        return BookState.load

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("traveler")
        if actor is None:
            return
        self.owner_id = actor.user_id
        try:
            self._refresh_allowance(actor)
        except DomainError as exc:
            self.step, self.error = "closed", exc.message
            return
        me = auth.me(actor)
        # The first passenger is often the traveler: start from their own contact data.
        self.passengers = [{"name": me.name, "email": me.email, "phone": me.phone or "", "birth_date": ""}] + \
            [dict(_BLANK) for _ in range(MAX_SEATS - 1)]
        self.idempotency_key = uuid.uuid4().hex
        self.form_version += 1

    @rx.event
    def set_seats(self, value: str):
        self.seats = max(1, min(int(value), self.allowed)) if value.isdigit() else 1

    @rx.event
    def to_passengers(self):
        self._clear_feedback()
        return self._step_url("passengers")

    @rx.event
    def save_passengers(self, form: dict):
        """Checks every passenger now (the service's own rules, ages on the launch date included),
        so nobody learns after entering a card that a passenger is too young."""
        self._clear_feedback()
        for i in range(self.seats):
            self.passengers[i] = {f: str(form.get(f"p{i}_{f}", "")).strip() for f in FIELDS}
        problems = passenger_problems(self.passengers[: self.seats], datetime.fromisoformat(self.launch_date_iso))
        if problems:
            self.passengers_ok = False
            self._refuse_fields(problems)
            self.error = f"Please correct {plural(len(problems), 'field')} below."
            self._focus('[aria-invalid="true"]')
            return None
        self.passengers_ok = True
        return self._step_url("review")

    @rx.event
    def back(self):
        self._clear_feedback()
        return self._step_url({"review": "passengers"}.get(self.step, "seats"))

    @rx.var
    def seats_words(self) -> str:
        return plural(self.seats, "seat")

    @rx.event
    def pay(self, form: dict):
        self.error, self.error_field = "", ""
        actor = self.actor_with("traveler")
        if actor is None:
            self.error = "Sign in as a traveler to book."
            return
        order = {"launch_id": self.launch_id, "passengers": self.passengers[: self.seats],
                 "payment": {"card_number": str(form.get("card_number", ""))}}
        try:
            booking, _created = bookings.create_booking(actor, order, self.idempotency_key)
        except DomainError as exc:
            self._refuse(exc)
            if self.error_field.startswith("passengers."):
                self.step, self.form_version, self.passengers_ok = "passengers", self.form_version + 1, False
            elif exc.code in ("sold_out", "not_enough_seats", "seat_limit", "not_bookable"):
                message = exc.message
                self._refresh_allowance(actor)
                self.error = message
                if self.step != "closed":
                    self.step = "seats"
            return
        self.booking_id, self.step = booking.id, "done"

    @rx.var
    def chosen(self) -> list[dict[str, str]]:
        return self.passengers[: self.seats]

    @rx.var
    def age_rule(self) -> str:
        return f"Each passenger must be {MIN_AGE} to {MAX_AGE} years old on the launch date."
