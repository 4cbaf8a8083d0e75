"""The process's one watcher of open launch pages (state/public/launch_watch.py): a booking
wakes the pages of that launch with one card read for all of them, and no other page; while
Redis is down it still follows the launch, reading the card itself."""
import asyncio
from collections import Counter
from contextlib import AsyncExitStack

from services.booking import catalog, catalog_cache
from state.public.launch_watch import LaunchWatch
from tests.booking_helpers import book, published_launch
from tests.helpers import drain_outbox, known_down, new_traveler


def _counting(reads: Counter):
    def fetch(slug: str):
        reads[slug] += 1
        return catalog.launch_with_age(slug)
    return fetch


async def _seats(page, seats: int):
    """The card the page is woken with once its free seats read `seats` (every wake-up is a new card)."""
    while (news := await page.next(timeout=15)) is not None:
        if news[0].seats_free == seats:
            return news
    raise AssertionError(f"no card with {seats} free seats within 15 s of the last")


def _book_and_project(api, traveler, launch_id: int, seats: int) -> None:
    assert book(api, traveler, launch_id, seats).status_code == 201
    drain_outbox()


def test_a_booking_wakes_only_its_launchs_pages_with_one_read(api):
    watched, other = published_launch(api), published_launch(api)
    _email, traveler = new_traveler(api)
    reads: Counter = Counter()

    async def scenario():
        watch = LaunchWatch(fetch=_counting(reads), tick=0.05, refresh=3600)
        async with AsyncExitStack() as pages:
            open_pages = [await pages.enter_async_context(watch.watching(watched["slug"])) for _ in range(3)]
            quiet = await pages.enter_async_context(watch.watching(other["slug"]))
            assert [(await page.next(timeout=15))[0].seats_free for page in open_pages] == [6, 6, 6]
            assert (await quiet.next(timeout=15))[0].seats_free == 6
            assert watch.watched() == 2 and reads[other["slug"]] == 1

            await asyncio.to_thread(_book_and_project, api, traveler, watched["id"], 2)
            news = [await _seats(page, 4) for page in open_pages]
            assert news[0] is news[1] is news[2], "one card read serves every page of the launch"
            assert await quiet.next(timeout=0.3) is None and reads[other["slug"]] == 1
        assert watch.watched() == 0

    asyncio.run(scenario())


def test_without_redis_the_watcher_reads_the_cards_itself(api):
    launch = published_launch(api)
    _email, traveler = new_traveler(api)

    async def scenario():
        watch = LaunchWatch(tick=0.05, blind=0.2)
        async with watch.watching(launch["slug"]) as page:
            assert (await page.next(timeout=15))[0].seats_free == 6
            with known_down("redis"):
                assert catalog_cache.card_generations([launch["slug"]]) is None
                await asyncio.to_thread(_book_and_project, api, traveler, launch["id"], 1)
                card, age = await _seats(page, 5)
                assert age is None and card.slug == launch["slug"]

    asyncio.run(scenario())
