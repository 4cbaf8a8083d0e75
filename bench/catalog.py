"""The public catalog under read load: GET /api/launches from 16 concurrent clients, served from
the Redis cache (the same few pages, as visitors mostly ask) and uncached (every request a query
never seen before, so each one reads the MongoDB read model). Server: the production backend
(bench/backend.py). Baselines in the same run, from this process: the cached page read straight
from Redis, and the uncached page's two MongoDB calls (count + find) made with pymongo.

    .venv/bin/python -m bench.catalog [--launches 200] [--requests 4000] [--clients 16] [--workers 3]
"""
import argparse
import statistics
import time
from datetime import datetime, timedelta, timezone

from bench.backend import agency, backend, stores
from bench.http_load import drive

PAGES = [{"per_page": "12"}, {"destination": "moon"}, {"range": "suborbital"}, {"page": "2"},
         {"max_price_cents": "150000000"}, {"destination": "mars", "per_page": "24"}]


def _path(params: dict) -> str:
    return "/api/launches?" + "&".join(f"{k}={v}" for k, v in params.items())


def _seed(count: int) -> None:
    from services.agency import launches
    from services.sync import read_model
    from services.agency import rockets

    actor = agency()
    fleet = [rockets.create_rocket(actor, {"name": f"Catalog {r}", "capacity": 6, "range": r})
             for r in ("suborbital", "low_earth_orbit", "interplanetary")]
    destinations = {"suborbital": ["edge-of-space"], "low_earth_orbit": ["low-earth-orbit", "space-station"],
                    "interplanetary": ["moon", "mars"]}
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    for n in range(count):
        rocket = fleet[n % 3]
        options = destinations[rocket.range.value]
        launches.schedule_launch(actor, {"rocket_id": rocket.id, "spaceport": "kennedy", "destination": options[n % len(options)],
                                         "date": start + timedelta(days=n), "price_cents": 10_000_000 * (1 + n % 30)})
    read_model.project_all()


def _baseline(samples: int) -> tuple[list[float], list[float]]:
    from services.core.models.catalog import CatalogQuery
    from services.core.models.documents import LaunchCard
    from services.core.mongo import customer_db
    from services.booking import catalog_cache, catalog_search

    cards = customer_db()[LaunchCard.collection]
    query = catalog_search.parse_query({"per_page": 12})
    digest = catalog_search._digest(query)
    catalog_search.search_json(query)
    catalog_search.search_json(query)
    redis_ms, mongo_ms = [], []
    for n in range(samples):
        started = time.perf_counter()
        catalog_cache.cached_list(digest)  # the page's shape and its cards, one Lua round trip
        redis_ms.append((time.perf_counter() - started) * 1000)
        found = catalog_search._mongo_filter(CatalogQuery(max_price_cents=10_000_000 * (1 + n % 30) + n),
                                             datetime.now(timezone.utc))
        started = time.perf_counter()
        cards.count_documents(found)
        list(cards.find(found).sort([("date", 1), ("launch_id", 1)]).limit(12))
        mongo_ms.append((time.perf_counter() - started) * 1000)
    return sorted(redis_ms), sorted(mongo_ms)


def _line(name: str, run) -> str:
    ok = sum(1 for r in run.results if r.status == 200)
    return (f"{name:<44} {len(run.results):5} requests ({ok} ok)  p50 {run.median():6.1f} ms  "
            f"p95 {run.percentile(0.95):6.1f} ms  {run.rate():7.1f} req/s")


def _pct(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, round(p * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=200)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    with stores() as env:
        _seed(args.launches)
        redis_ms, mongo_ms = _baseline(300)
        with backend(env, args.workers) as (host, port):
            warm = [("GET", _path(p), {}, b"") for p in PAGES]
            drive(host, port, warm, 1)
            cached = drive(host, port, [("GET", _path(PAGES[n % len(PAGES)]), {}, b"")
                                        for n in range(args.requests)], args.clients)
            # A price no earlier request used: every request misses the cache and reads MongoDB.
            uncached = drive(host, port, [("GET", _path({"max_price_cents": str(10**9 + n)}), {}, b"")
                                          for n in range(args.requests // 4)], args.clients)
    print(f"catalog of {args.launches} launches, {args.clients} concurrent clients, {args.workers} granian workers")
    print(_line("GET /api/launches, cached (6 distinct pages)", cached))
    print(_line("GET /api/launches, uncached (every query new)", uncached))
    print(f"{'baseline: Redis read of a cached page':<44} p50 {statistics.median(redis_ms):6.2f} ms  p95 {_pct(redis_ms, 0.95):6.2f} ms")
    print(f"{'baseline: MongoDB count + find (pymongo)':<44} p50 {statistics.median(mongo_ms):6.2f} ms  p95 {_pct(mongo_ms, 0.95):6.2f} ms")


if __name__ == "__main__":
    main()
