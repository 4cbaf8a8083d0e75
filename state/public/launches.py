"""The landing page's next launches and the searchable list of launches with free seats."""
from decimal import Decimal
from typing import ClassVar

import reflex as rx

from services.booking import catalog
from services.kernel.errors import DomainError
from state.handlers import loads
from state.public.present import card_row
from state.pagination import Paginated
from state.session import SessionState

PER_PAGE = 12
FILTERS = ("destination", "range", "from", "to", "max_price")


class HomeState(SessionState):
    upcoming: list[dict[str, str]] = []
    load_error: str = ""

    @rx.event
    @loads("the next launches")
    def load(self):
        self.upcoming = [card_row(c) for c in catalog.upcoming(6)]


class LaunchesState(SessionState, Paginated):
    per_page: ClassVar[int] = PER_PAGE
    rows: list[dict[str, str]] = []
    destination: str = "any"
    range: str = "any"
    date_from: str = ""
    date_to: str = ""
    max_price: str = ""
    error: str = ""
    # Bumped when filters change from outside the form, so it remounts showing them.
    form_version: int = 0

    def _query(self) -> dict:
        query: dict = {"page": self.page, "per_page": PER_PAGE}
        if self.destination != "any":
            query["destination"] = self.destination
        if self.range != "any":
            query["range"] = self.range
        if self.date_from:
            query["from"] = self.date_from
        if self.date_to:
            query["to"] = self.date_to
        if self.max_price.strip():
            # Visitors think in dollars; the catalog counts cents (exactly: Decimal, never a float).
            dollars = Decimal(self.max_price.replace(",", "").strip())
            if not dollars.is_finite() or dollars.adjusted() > 12:  # "1e999999999" would build a huge int
                raise ValueError(self.max_price)
            query["max_price_cents"] = int(dollars * 100)
        return query

    @loads("the launches")
    def _reload(self):
        self.error = ""
        try:
            items, self.total = catalog.search(self._query())
        except (ArithmeticError, ValueError):
            self.error, self.rows, self.total = "Maximum price must be a number of dollars, like 250000.", [], 0
            return
        except DomainError as exc:
            self.error, self.rows, self.total = exc.message, [], 0
            return
        self.rows = [card_row(c) for c in items]

    @rx.event
    def load(self):
        """Filters can come in the address (/launches?destination=moon), as crawlers and links use it."""
        params = self.router.url.query_parameters
        self.destination = params.get("destination") or "any"
        self.range = params.get("range") or "any"
        self.date_from, self.date_to = params.get("from", ""), params.get("to", "")
        cents = params.get("max_price_cents", "")
        self.max_price = str(int(cents) // 100) if cents.isdigit() else ""
        self.page = int(params["page"]) if params.get("page", "").isdigit() and int(params["page"]) > 0 else 1
        self.form_version += 1
        self._reload()

    @rx.event
    def set_destination(self, value: str):
        self.destination, self.page = value, 1
        self._reload()

    @rx.event
    def set_range(self, value: str):
        self.range, self.page = value, 1
        self._reload()

    @rx.event
    def apply(self, form: dict):
        self.date_from, self.date_to = form.get("from", ""), form.get("to", "")
        self.max_price, self.page = form.get("max_price", ""), 1
        self._reload()

    @rx.event
    def clear(self):
        self.destination = self.range = "any"
        self.date_from = self.date_to = self.max_price = ""
        self.page = 1
        self.form_version += 1
        self._reload()
