"""Booking wizard: seats, a passenger per seat, review and pay, done.

The idempotency key is made when the wizard opens: a double click or a retried submit returns
the booking already made instead of making a second one.
"""
import uuid

import reflex as rx

from services.auth import accounts as auth
from astrobookings.formatting import usd as format_usd
from services.booking import bookings, catalog
from services.booking.rules import MAX_AGE, MIN_AGE, VIP_SEAT_LIMIT
from services.kernel.errors import DomainError
from state.handlers import Feedback
from state.public.present import card_row
from state.session import PortalState

MAX_SEATS = VIP_SEAT_LIMIT  # the most any traveler may book: the form has a slot per seat
FIELDS = ("name", "email", "phone", "birth_date")
_BLANK = {f: "" for f in FIELDS}


class BookState(PortalState, Feedback):
    step: str = "seats"  # seats | passengers | review | done | closed
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

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("traveler")
        if actor is None:
            return
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
        self.error, self.error_field = "", ""
        self.step = "passengers"
        self.form_version += 1

    @rx.event
    def save_passengers(self, form: dict):
        self.error, self.error_field = "", ""
        for i in range(self.seats):
            self.passengers[i] = {f: str(form.get(f"p{i}_{f}", "")).strip() for f in FIELDS}
        for i in range(self.seats):
            if not self.passengers[i]["birth_date"]:
                self.error, self.error_field = f"Enter passenger {i + 1}'s birth date.", f"passengers.{i}.birth_date"
                return
        self.step = "review"

    @rx.event
    def back(self):
        self.error, self.error_field = "", ""
        self.step = {"review": "passengers", "passengers": "seats"}.get(self.step, "seats")
        self.form_version += 1

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
                self.step, self.form_version = "passengers", self.form_version + 1
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
