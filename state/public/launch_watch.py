"""One watcher per process for the free seats of open launch pages.

Each open launch page used to poll its card every second: a thousand open pages made a thousand
Redis reads a second per worker and as many wake-ups of page loops, nearly all to learn nothing.
Now one task per process (started by the first page that watches, ending when the last one
leaves) reads every TICK_SECONDS the card generation of every watched launch in one MGET. The
catalog's launch_changed moves a launch's generation whenever the read model writes its card, so
a launch whose generation moved has its card read once, and only the pages watching that launch
are woken. While Redis is down no generation can be read: every watched card is read again every
BLIND_SECONDS instead (the catalog then reads MongoDB). Every REFRESH_SECONDS all are, so what
changes with time alone (a launch closing at its date, a stale copy replaced after an outage)
reaches the pages too.

Plain asyncio, no Reflex: state/public/launch.py uses it, and bench/open_pages.py measures it.
"""
import asyncio
import time
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from services.core.breaker import unavailable
from services.core.logs import get_logger
from services.core.models.catalog import LaunchCardPublic
from services.booking import catalog, catalog_cache
from services.kernel.errors import DomainError

TICK_SECONDS = 0.5
BLIND_SECONDS = 2.0
REFRESH_SECONDS = 30.0
_log = get_logger("launch_watch")

# A launch's card and, when it is the last known copy (MongoDB down), its age in seconds.
Card = tuple[LaunchCardPublic, int | None]


@dataclass(eq=False)
class _Watched:
    """One launch some open pages watch: its newest card, numbered, and the event its pages await."""
    pages: int = 0
    generation: str | None = None  # the generation `card` was read under; None: not read yet
    card: Card | None = None
    version: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def publish(self, card: Card) -> None:
        # A fresh event for the next change, then wake everyone waiting on this one.
        self.card, self.version = card, self.version + 1
        fired, self.changed = self.changed, asyncio.Event()
        fired.set()


def _differs(old: Card | None, new: Card) -> bool:
    return old is None or old[0] != new[0] or (old[1] is None) != (new[1] is None)


class Subscription:
    """One page's view of a watched launch."""

    def __init__(self, watched: _Watched) -> None:
        # Version 0 is "nothing read yet": a page that arrives after a read gets that card first,
        # which covers a change between the page's own load and its subscription.
        self._watched, self._seen = watched, 0

    async def next(self, timeout: float) -> Card | None:
        """The launch's newest card once it is newer than the last one returned here; None
        when nothing newer came within `timeout` seconds."""
        watched = self._watched
        if watched.version == self._seen:
            try:
                async with asyncio.timeout(timeout):
                    await watched.changed.wait()
            except TimeoutError:
                return None
        self._seen = watched.version
        return watched.card


class LaunchWatch:
    """The watcher of one event loop. `fetch` and `generations` default to the catalog's."""

    def __init__(self, fetch: Callable[[str], Card] | None = None,
                 generations: Callable[[list[str]], dict[str, str] | None] | None = None,
                 tick: float = TICK_SECONDS, blind: float = BLIND_SECONDS, refresh: float = REFRESH_SECONDS) -> None:
        self._fetch = fetch or catalog.launch_with_age
        self._generations = generations or catalog_cache.card_generations
        self._tick, self._blind, self._refresh = tick, blind, refresh
        self._launches: dict[str, _Watched] = {}
        self._task: asyncio.Task | None = None
        self._all_read_at = time.monotonic()
        self.checks = self.reads = 0  # generation round trips and cards read, for bench/open_pages.py

    def watched(self) -> int:
        return len(self._launches)

    @asynccontextmanager
    async def watching(self, slug: str) -> AsyncIterator[Subscription]:
        watched = self._launches.setdefault(slug, _Watched())
        watched.pages += 1
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="launch-watch")
        try:
            yield Subscription(watched)
        finally:
            watched.pages -= 1
            if watched.pages == 0 and self._launches.get(slug) is watched:
                del self._launches[slug]

    async def _run(self) -> None:
        # Ends once no page watches; the next page to watch starts it again.
        while self._launches:
            await asyncio.sleep(self._tick)
            try:
                await self.check()
            except Exception:  # the watcher outlives any one bad read
                _log.exception("launch watch check failed")

    async def check(self) -> None:
        """One round: which watched launches changed, their cards read once, their pages woken."""
        slugs = list(self._launches)
        if not slugs:
            return
        self.checks += 1
        generations = await asyncio.to_thread(self._generations, slugs)
        now = time.monotonic()
        every = now - self._all_read_at >= (self._blind if generations is None else self._refresh)
        if every:
            self._all_read_at = now
        due = [slug for slug in slugs if every or self._launches[slug].generation is None
               or (generations is not None and generations.get(slug) != self._launches[slug].generation)]
        if not due:
            return
        # Generations were read before the cards: a change landing meanwhile moves the generation
        # past the one kept here, so the next round reads that launch again.
        cards = await asyncio.to_thread(self._read, due)
        for slug, card in cards.items():
            watched = self._launches.get(slug)
            if watched is None:
                continue
            watched.generation = generations.get(slug, "0") if generations is not None else (watched.generation or "")
            if _differs(watched.card, card):
                watched.publish(card)

    def _read(self, slugs: list[str]) -> dict[str, Card]:
        cards = {}
        for slug in slugs:
            try:
                cards[slug] = self._fetch(slug)
                self.reads += 1
            except DomainError:
                continue  # unpublished meanwhile: its pages keep what they show
            except Exception as exc:
                # A store is down: read again at the next round. Anything else is a bug to log,
                # but it must not keep the other launches' pages from updating.
                if unavailable(exc) is None:
                    _log.exception("launch watch read failed", extra={"fields": {"slug": slug}})
        return cards


_per_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LaunchWatch]" = weakref.WeakKeyDictionary()


def shared() -> LaunchWatch:
    """This process's watcher (one per event loop: a worker serves its pages from one loop)."""
    loop = asyncio.get_running_loop()
    watch = _per_loop.get(loop)
    if watch is None:
        watch = _per_loop[loop] = LaunchWatch()
    return watch
