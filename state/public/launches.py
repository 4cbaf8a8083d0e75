"""The landing page's next launches and the searchable list of launches with free seats."""
from decimal import Decimal
from typing import ClassVar
from urllib.parse import urlencode

import reflex as rx

from services.booking import catalog_search
from services.kernel.errors import DomainError
from state.handlers import loads
from state.public.present import card_row
from services.core.formatting import plural, updated_ago
from state.pagination import Paginated
from state.session import SessionState

PER_PAGE = 12
FIELDS = ("destination", "range", "from", "to", "max_price", "seats_needed", "sort")


class HomeState(SessionState):
    upcoming: list[dict[str, str]] = []
    load_error: str = ""

    @rx.event
    @loads("the next launches")
    def load(self):
        self.upcoming = [card_row(c) for c in catalog_search.upcoming(6)]


SORTS = {"date": "Soonest first", "price": "Cheapest first", "-price": "Dearest first", "seats": "Most seats free"}


def dollars_to_cents(text: str) -> int:
    """"250,000.50" -> 25000050; a malformed or negative amount raises ValueError (never ignored)."""
    dollars = Decimal(text.replace(",", "").replace("$", "").strip())
    if not dollars.is_finite() or dollars.adjusted() > 12:  # "1e999999999" would build a huge int
        raise ValueError(text)
    if dollars < 0:
        raise ValueError(text)
    return int(dollars * 100)


class LaunchesState(SessionState, Paginated):
    """The search lives in the address (/launches?destination=moon&sort=price&page=2): Search
    navigates there and the loader reads it, so a reload, Back or a shared link shows the same."""
    per_page: ClassVar[int] = PER_PAGE
    rows: list[dict[str, str]] = []
    destination: str = "any"
    range: str = "any"
    date_from: str = ""
    date_to: str = ""
    max_price: str = ""
    seats_needed: str = ""
    sort: str = "date"
    error: str = ""
    # Messages beside their fields (max_price, seats_needed, from, to...).
    field_errors: dict[str, str] = {}
    # "Updated 45 s ago" while the list is the last known copy (MongoDB down), else "".
    updated: str = ""
    # Bumped when filters change from outside the form, so it remounts showing them.
    form_version: int = 0

    def _params(self, page: int | None = None) -> dict[str, str]:
        """The search as it is written in the address: only what differs from the defaults."""
        given = {"destination": "" if self.destination == "any" else self.destination,
                 "range": "" if self.range == "any" else self.range, "from": self.date_from, "to": self.date_to,
                 "max_price": self.max_price.strip(), "seats_needed": self.seats_needed.strip(),
                 "sort": "" if self.sort == "date" else self.sort, "page": str(page or self.page)}
        if given["page"] == "1":
            given["page"] = ""
        return {k: v for k, v in given.items() if v}

    def _url(self, page: int | None = None) -> str:
        query = urlencode(self._params(page))
        return "/launches" + (f"?{query}" if query else "")

    @rx.var
    def prev_url(self) -> str:
        return self._url(max(self.page - 1, 1))

    @rx.var
    def next_url(self) -> str:
        return self._url(min(self.page + 1, self.pages))

    @rx.var
    def count_words(self) -> str:
        return plural(self.total, "launch", "launches") + " match"

    def _check(self) -> dict[str, str]:
        """What the visitor typed, field by field: every wrong field at once."""
        errors = {}
        if self.max_price.strip():
            try:
                dollars_to_cents(self.max_price)
            except (ArithmeticError, ValueError):
                errors["max_price"] = "Maximum price must be a number of dollars, 0 or more, like 250000."
        if self.seats_needed.strip() and not (self.seats_needed.strip().isdigit() and 1 <= int(self.seats_needed) <= 100):
            errors["seats_needed"] = "Seats needed must be a whole number from 1 to 100."
        if self.sort not in SORTS:
            errors["sort"] = "Sort must be one of: " + ", ".join(SORTS.values()) + "."
        return errors

    def _query(self) -> dict:
        query: dict = {"page": self.page, "per_page": PER_PAGE, "sort": self.sort}
        if self.destination != "any":
            query["destination"] = self.destination
        if self.range != "any":
            query["range"] = self.range
        if self.date_from:
            query["from"] = self.date_from
        if self.date_to:
            query["to"] = self.date_to
        if self.max_price.strip():
            query["max_price_cents"] = dollars_to_cents(self.max_price)  # checked in _check
        if self.seats_needed.strip():
            query["seats_needed"] = self.seats_needed.strip()
        return query

    @loads("the launches")
    def _reload(self):
        self.error = self.updated = ""
        self.field_errors = self._check()
        if self.field_errors:
            self.rows, self.total = [], 0
            return
        try:
            items, self.total, age = catalog_search.search_with_age(self._query())
        except DomainError as exc:
            name = {"max_price_cents": "max_price"}.get(exc.field or "", exc.field or "")
            if name in FIELDS:
                self.field_errors = {name: exc.message}
            else:
                self.error = exc.message
            self.rows, self.total = [], 0
            return
        self.rows, self.updated = [card_row(c) for c in items], updated_ago(age)

    @rx.event
    def load(self):
        """The search comes from the address (/launches?destination=moon), as links and crawlers use it."""
        params = self.router.url.query_parameters
        self.destination = params.get("destination") or "any"
        self.range = params.get("range") or "any"
        self.date_from, self.date_to = params.get("from", ""), params.get("to", "")
        cents = params.get("max_price_cents", "")
        self.max_price = params.get("max_price") or (str(int(cents) // 100) if cents.isdigit() else cents)
        self.seats_needed = params.get("seats_needed", "")
        self.sort = params.get("sort") or "date"
        self.page = int(params["page"]) if params.get("page", "").isdigit() and int(params["page"]) > 0 else 1
        self.form_version += 1
        self._reload()

    def _go(self):
        """Show the search at its own address (a history entry, so Back returns to the last one)."""
        self.field_errors = self._check()
        if self.field_errors:
            self.rows, self.total = [], 0
            return None
        return rx.redirect(self._url())

    @rx.event
    def apply(self, form: dict):
        self.destination = str(form.get("destination") or "any")
        self.range = str(form.get("range") or "any")
        self.date_from, self.date_to = str(form.get("from", "")), str(form.get("to", ""))
        self.max_price, self.seats_needed = str(form.get("max_price", "")), str(form.get("seats_needed", ""))
        self.sort, self.page = str(form.get("sort") or "date"), 1
        return self._go()

    @rx.event
    def clear(self):
        return rx.redirect("/launches")
