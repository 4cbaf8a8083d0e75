"""One launch's page. While it is open, its free seats follow the read model on their own: the
process's one watcher (state/public/launch_watch.py) wakes the page when its launch changes."""
import time
import uuid

import reflex as rx

from services.core.formatting import updated_ago
from services.core.models.catalog import LaunchCardPublic
from services.booking import catalog
from services.kernel.errors import DomainError
from services.booking.seo import launch_description, launch_title
from state.public import launch_watch
from state.public.present import card_row
from state.session import SessionState

# How often a waiting page checks that the browser still shows the launch it watches: Reflex
# does not end a background loop when the tab moves to another page, so the loop ends itself.
RECHECK_SECONDS = 15.0
# A safety net: Reflex cancels the watch when the page is left or the tab closes; this bounds it anyway.
WATCH_LIMIT_SECONDS = 3 * 3600


class LaunchState(SessionState):
    card: dict[str, str] = {}
    seats_free: int = 0
    seats_text: str = ""
    open: bool = False
    not_found: bool = False
    title: str = "Launch · AstroBookings"
    description: str = ""
    # "Updated 45 s ago" while the card is the last known copy (MongoDB down), else "".
    updated: str = ""
    # The newest watch of this tab: a page loaded again starts its own, and the older one ends.
    _watch_token: str = ""

    def _slug(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    def _showing(self, slug: str) -> bool:
        """The browser is still on this launch's page (addressed by slug or by id)."""
        path = self.router.url.path.rstrip("/")
        return path.rsplit("/", 1)[0] == "/launches" and self._slug() in (slug, self.card.get("id"))

    def _apply(self, card: LaunchCardPublic, age: int | None = None) -> None:
        row = card_row(card)
        self.updated = updated_ago(age)
        self.not_found, self.card, self.seats_free = False, row, card.seats_free
        self.seats_text, self.open = row["seats"], row["open"] == "yes"
        self.title, self.description = launch_title(card), launch_description(card)

    @rx.event
    def load(self):
        try:
            self._apply(*catalog.launch_with_age(self._slug()))
        except DomainError:
            self.not_found, self.card, self.title = True, {}, "Launch not found · AstroBookings"
            return None
        # Chained from the page load, the watch belongs to that page's event chain.
        return LaunchState.watch

    @rx.event(background=True)
    async def watch(self):
        """Part of the page's on_load chain; Reflex ends it when the tab disconnects, and it ends
        itself once the tab shows another page. Waits on the shared watcher and pushes only what
        changed."""
        async with self:
            slug = self.card.get("slug", "")
            token = self._watch_token = uuid.uuid4().hex
        if not slug:
            return
        deadline = time.monotonic() + WATCH_LIMIT_SECONDS
        async with launch_watch.shared().watching(slug) as launch:
            while time.monotonic() < deadline:
                news = await launch.next(timeout=RECHECK_SECONDS)
                async with self:
                    if self._watch_token != token or self.card.get("slug") != slug or not self._showing(slug):
                        return
                    if news is None:
                        continue
                    card, age = news
                    if (card.seats_free != self.seats_free or card.status != self.card.get("status")
                            or updated_ago(age) != self.updated):
                        self._apply(card, age)
