"""The one way a page state acts for a user: resolve the acting user with an allowed role, call
one service function, and show a refusal next to the field it names.

    class RocketsState(SessionState, Feedback):
        @rx.event
        @acting_as("agency", refused="Only agencies may add rockets.")
        def create(self, actor, form: dict):
            rocket = rockets.create_rocket(actor, form)   # a DomainError lands in error / error_field
            self.notice = f"Added {rocket.name}."

The service still authorizes the actor itself (UI, API and scheduler get the same checks); this
only spares each handler the boilerplate and keeps the messages consistent.
"""
import functools
import inspect
from collections.abc import Callable
from typing import ClassVar

import reflex as rx

from services.core.breaker import unavailable
from services.core.logs import get_logger
from services.kernel.errors import DomainError

_log = get_logger("state")


class Feedback(rx.State, mixin=True):
    """What a form shows: the refusal, the field it names (for aria-invalid), and a notice.

    `field_errors` maps a form field's name to its message, so every message stands next to its
    field (components.forms.field reads it); `error` stays for refusals that name no field."""
    error: str = ""
    error_field: str = ""
    field_errors: dict[str, str] = {}
    notice: str = ""
    # The form fields this page shows messages beside (by form name); a refusal naming another
    # field (or none) stays in the callout above the form.
    form_fields: ClassVar[frozenset[str]] = frozenset()
    # A service field named otherwise in the form: {"price_cents": "price"}.
    field_aliases: ClassVar[dict[str, str]] = {}

    def _clear_feedback(self) -> None:
        self.error, self.error_field, self.notice = "", "", ""
        self.field_errors = {}

    def _form_name(self, field: str) -> str:
        return self.field_aliases.get(field) or form_name(field)

    def _refuse(self, exc: DomainError) -> None:
        self.error, self.error_field = exc.message, exc.field or ""
        name = self._form_name(exc.field or "")
        if name and (name in self.form_fields or name.startswith("p") and name[1:2].isdigit() and "_" in name
                                               and name.split("_", 1)[1] in self.form_fields):
            # The form field's name: "passengers.1.birth_date" -> "p1_birth_date" (see components/forms).
            self.field_errors = {name: exc.message}
        for other in exc.extra.get("errors", []):  # a validation refusal names every wrong field
            other_name = self._form_name(other.get("field") or "")
            if other_name in self.form_fields and other_name not in self.field_errors:
                self.field_errors = {**self.field_errors, other_name: other["message"]}

    def _refuse_fields(self, errors: dict[str, str]) -> None:
        """Several fields wrong at once: each message beside its field."""
        self.field_errors = {form_name(k): v for k, v in errors.items()}
        self.error = next(iter(errors.values()), "")

    def _unavailable(self, exc: Exception) -> bool:
        """A store the handler needs is down: say so (which store, when to retry) instead of crashing."""
        found = unavailable(exc)
        if found is not None:
            self.error, self.error_field = found.message, ""
        return found is not None

    @rx.var
    def form_error(self) -> str:
        """The refusal for the callout above a form whose fields show their own messages: only
        what no field of the form shows (pages without field messages keep using `error`)."""
        return "" if self.field_errors else self.error


class DialogFeedback(Feedback, mixin=True):
    """Feedback for a page with an edit dialog beside its own form: a refusal of the dialog stays
    in the dialog (which stays open, what was typed kept), its messages beside the dialog's fields
    (`dialog_errors`, by form name), never beside the page form's fields of the same name."""
    dialog_error: str = ""
    dialog_errors: dict[str, str] = {}

    def _clear_feedback(self) -> None:
        super()._clear_feedback()
        self.dialog_error, self.dialog_errors = "", {}

    def _refuse_in_dialog(self, exc: DomainError) -> None:
        self._refuse(exc)
        self.dialog_errors, self.field_errors = self.field_errors, {}
        self.dialog_error, self.error = ("" if self.dialog_errors else self.error), ""


def form_name(field: str) -> str:
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "passengers" and parts[1].isdigit():
        return f"p{parts[1]}_{parts[2]}"
    return parts[-1] if parts[0] in ("payment",) else field


def acting_as(*roles: str, refused: str = "", reset: bool = False) -> Callable:
    """Decorate a handler `(self, actor, *args)`: the actor is resolved and role-checked on the
    server before the body runs; a signed-out or wrong-role caller gets `refused` (or nothing);
    a DomainError raised by the body is shown through `Feedback._refuse`, a store outage (the
    account store's too) as a message naming the store. A page's loader passes `reset=True`: its
    state is cleared first, whoever asks (PortalState._reset_portal)."""
    def decorate(body: Callable) -> Callable:
        @functools.wraps(body)
        def handler(self, *args, **kwargs):
            if reset:
                self._reset_portal()
            self._clear_feedback()
            try:
                actor = self.actor_with(*roles)
                if actor is None:
                    self.error = refused
                    return None
                return body(self, actor, *args, **kwargs)
            except DomainError as exc:
                self._refuse(exc)
                return None
            except Exception as exc:
                if not self._unavailable(exc):
                    raise
                return None

        # Reflex reads a handler's parameters to type its event arguments: hide `actor`.
        signature = inspect.signature(body)
        params = [p for name, p in signature.parameters.items() if name != "actor"]
        handler.__signature__ = signature.replace(parameters=params)
        handler.__annotations__ = {k: v for k, v in body.__annotations__.items() if k != "actor"}
        del handler.__wrapped__
        return handler
    return decorate


def loads(what: str) -> Callable:
    """Decorate a list state's fetch (`_reload`): when it fails, the list says so (its
    `load_error`, components/states.py) instead of showing itself empty: a store outage names the
    store and when to retry, a refusal gives its message, anything else "We could not load <what>"
    (and is logged). The state defines `load_error` (Paginated does)."""
    def decorate(body: Callable) -> Callable:
        @functools.wraps(body)
        def fetch(self, *args, **kwargs):
            self.load_error = ""
            try:
                return body(self, *args, **kwargs)
            except DomainError as exc:
                self.load_error = exc.message
            except Exception as exc:
                found = unavailable(exc)
                if found is None:
                    _log.exception("a list failed to load", extra={"fields": {"list": what}})
                self.load_error = found.message if found else f"We could not load {what}. Please try again in a moment."
            return None
        return fetch
    return decorate
