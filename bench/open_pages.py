"""How many open launch pages one worker keeps updated within 1 s of a booking (issue 14, target
1,000), in-process on the service layer (no browser, no HTTP server: the machine is small).

N open pages, spread over L launches, wait for their launch's free seats as the page loop in
state/public/launch.py does, minus Reflex's state lock and push. Then rounds of bookings: one seat
on every launch, each booking projected at once by the relay (as the scheduler's relay would,
without its poll interval), so every page has one change to show per round. A page's latency is
from its launch's booking being acknowledged to the page holding the new count.

- shared: the process's one watcher (state/public/launch_watch.py), one MGET per tick, a changed
  card read once, only its pages woken;
- baseline, same run: each page polling its card every second on its own (the loop before).

Also the cost of keeping N pages open while nothing happens: card reads per second and CPU
seconds per second of this process over a quiet window.

On the shared 2-core machine (issue 14): 1,000 pages on 20 launches, shared watcher 3,000 of 3,000
updates within 1 s (p50 342 ms, p95 589 ms, max 636 ms), 0 card reads/s and 2 MGETs/s while
nothing changed; polling 2,683 of 3,000 (p95 1,065 ms, max 1,391 ms), 992 card reads/s, 0.29 CPU
s/s. 5,000 pages on 50 launches: shared 10,000 of 10,000 (p95 615 ms); polling 1,916 of 10,000
(p95 4.2 s, max 5.9 s), saturated at 2,192 card reads/s. The shared figure is mostly the tick
(0.5 s) plus the projection; it does not grow with the number of pages.

    .venv/bin/python -m bench.open_pages [--pages 1000] [--launches 20] [--rounds 3] [--quiet 5]
"""
import argparse
import asyncio
import random
import statistics
import threading
import time

from bench.backend import agency, stores
from bench.degraded import CARD, PASSENGER, _seed, _traveler

POLL_SECONDS = 1.0  # the per-page poll this replaced


class Pages:
    """What every open page shows, and each page's latency to each new count."""

    def __init__(self, slugs: list[str], count: int) -> None:
        self.slug_of = [slugs[n % len(slugs)] for n in range(count)]
        self.showing: list[int | None] = [None] * count
        self.target: dict[str, int] = {}
        self.booked_at: dict[str, float] = {}
        self.latencies: list[float] = []
        self.reads = 0

    def show(self, page: int, seats: int) -> None:
        if seats == self.showing[page]:
            return
        self.showing[page] = seats
        slug = self.slug_of[page]
        if seats == self.target.get(slug):
            self.latencies.append(time.perf_counter() - self.booked_at[slug])

    def all_showing(self, seats: dict[str, int]) -> bool:
        return all(self.showing[n] == seats[s] for n, s in enumerate(self.slug_of))


async def _shared_page(watch, pages: Pages, n: int) -> None:
    async with watch.watching(pages.slug_of[n]) as launch:
        while True:
            news = await launch.next(timeout=60)
            if news is not None:
                pages.show(n, news[0].seats_free)


async def _polling_page(pages: Pages, n: int) -> None:
    from services.booking import catalog

    await asyncio.sleep(random.random() * POLL_SECONDS)  # pages open at different moments
    while True:
        card, _age = await asyncio.to_thread(catalog.launch_with_age, pages.slug_of[n])
        pages.reads += 1
        pages.show(n, card.seats_free)
        await asyncio.sleep(POLL_SECONDS)


def _book_round(pages: Pages, ids: dict[str, int], seats: dict[str, int]) -> None:
    from services.booking.bookings import create_booking
    from services.kernel import relay

    for slug, launch_id in ids.items():
        create_booking(_traveler(), {"launch_id": launch_id, "passengers": [PASSENGER], "payment": CARD})
        seats[slug] -= 1
        pages.target[slug], pages.booked_at[slug] = seats[slug], time.perf_counter()
        relay.drain(timeout=30)


async def _until(check, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def measure(mode: str, ids: dict[str, int], seats: dict[str, int], args) -> dict:
    from state.public.launch_watch import LaunchWatch

    pages = Pages(list(ids), args.pages)
    watch = LaunchWatch()
    tasks = [asyncio.create_task(_shared_page(watch, pages, n) if mode == "shared" else _polling_page(pages, n))
             for n in range(args.pages)]
    await _until(lambda: pages.all_showing(seats), "every page to show its launch")
    reads, checks = pages.reads + watch.reads, watch.checks
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.sleep(args.quiet)
    took = time.perf_counter() - started
    quiet = {"reads/s": (pages.reads + watch.reads - reads) / took, "round trips/s": (watch.checks - checks) / took,
             "cpu/s": (time.process_time() - cpu) / took}
    for _ in range(args.rounds):
        booking = threading.Thread(target=_book_round, args=(pages, ids, seats))
        booking.start()
        while booking.is_alive():
            await asyncio.sleep(0.05)
        booking.join()
        await _until(lambda: pages.all_showing(seats), "every page to show the round's bookings", timeout=60)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"latencies": sorted(pages.latencies), **quiet}


def _report(name: str, figures: dict) -> None:
    ms = figures["latencies"]
    within = sum(1 for s in ms if s <= 1.0)
    p95 = ms[min(int(len(ms) * 0.95), len(ms) - 1)]
    print(f"{name:<44} {within:6}/{len(ms)} updates within 1 s  p50 {statistics.median(ms) * 1000:7.1f} ms  "
          f"p95 {p95 * 1000:7.1f} ms  max {ms[-1] * 1000:7.1f} ms")
    print(f"{'':<44} quiet: {figures['reads/s']:7.1f} card reads/s, {figures['round trips/s']:5.1f} generation "
          f"MGETs/s, {figures['cpu/s']:.2f} CPU s/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--launches", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quiet", type=float, default=5.0, help="seconds of no bookings to measure the idle cost")
    args = parser.parse_args()
    with stores():
        from astrobookings.jobs.registry import load_jobs
        from services.booking import catalog
        from services.sync import read_model

        load_jobs()  # the relay's consumers, the read model's projector among them

        launch_ids = _seed(agency(), args.launches, capacity=100)
        read_model.project_all()
        cards = [catalog.get_launch(str(i)) for i in launch_ids]
        ids = {c.slug: c.id for c in cards}
        seats = {c.slug: c.seats_free for c in cards}
        print(f"open launch pages: {args.pages} pages on {args.launches} launches, {args.rounds} rounds of one "
              f"booking per launch (each projected at once); one process, one event loop")
        _report("shared watcher (one per process)", asyncio.run(measure("shared", ids, seats, args)))
        _report("baseline: each page polls its card every 1 s", asyncio.run(measure("polling", ids, seats, args)))


if __name__ == "__main__":
    main()
