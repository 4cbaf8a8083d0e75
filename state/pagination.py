"""Paging for list states: page number, total, and Previous / Next handlers."""
from typing import ClassVar

import reflex as rx


class Paginated(rx.State, mixin=True):
    """Mix into a page state that defines `_reload()`, which fetches `page` and sets `total`."""
    per_page: ClassVar[int] = 20
    total: int = 0
    page: int = 1
    # Set by state.handlers.loads when the fetch failed: the list shows it instead of "none".
    load_error: str = ""

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def _reload(self) -> None:
        raise NotImplementedError

    @rx.event
    def next_page(self):
        self.page = min(self.page + 1, self.pages)
        self._reload()

    @rx.event
    def prev_page(self):
        self.page = max(self.page - 1, 1)
        self._reload()
