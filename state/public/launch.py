"""One launch's page. While it is open, its free seats follow the read model on their own."""
import asyncio
import time

import reflex as rx

from astrobookings.models.catalog import LaunchCardPublic
from services.booking import catalog
from services.kernel.errors import DomainError
from services.booking.seo import launch_description, launch_title
from state.public.present import card_row
from state.session import SessionState

POLL_SECONDS = 1.0
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

    def _slug(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    def _apply(self, card: LaunchCardPublic) -> None:
        row = card_row(card)
        self.not_found, self.card, self.seats_free = False, row, card.seats_free
        self.seats_text, self.open = row["seats"], row["open"] == "yes"
        self.title, self.description = launch_title(card), launch_description(card)

    @rx.event
    def load(self):
        try:
            self._apply(catalog.get_launch(self._slug()))
        except DomainError:
            self.not_found, self.card, self.title = True, {}, "Launch not found · AstroBookings"
            return None
        # Chained from the page load, the watch belongs to that page's event chain.
        return LaunchState.watch

    @rx.event(background=True)
    async def watch(self):
        """Part of the page's on_load chain, which Reflex cancels when the visitor navigates away
        or disconnects. Reads the cached card (one Redis GET) and pushes only what changed."""
        async with self:
            slug = self.card.get("slug", "")
        deadline = time.monotonic() + WATCH_LIMIT_SECONDS
        while slug and time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            try:
                card = await asyncio.to_thread(catalog.get_launch, slug)
            except DomainError:
                continue
            async with self:
                if self.card.get("slug") != slug:
                    return
                if card.seats_free != self.seats_free or card.status != self.card.get("status"):
                    self._apply(card)
