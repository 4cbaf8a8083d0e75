"""The public catalog as JSON: filters, pagination, one launch by id or slug, the Redis cache.

Launches from other tests share the database, so each test schedules its own on a date no other
test uses and filters on that day.
"""
import random
from datetime import datetime, timedelta, timezone

from services.core.cache import get_redis, key
from services.booking import catalog_cache, catalog_search
from services.sync import read_model
from tests.booking_helpers import book, published_launch
from tests.helpers import new_traveler

_days = random.Random().sample(range(2000, 3000), 200)


def _window(days: int) -> dict:
    day = (datetime.now(timezone.utc) + timedelta(days=days)).date().isoformat()
    return {"from": day, "to": day}


def test_filters_by_destination_range_dates_and_price(api):
    days = _days.pop()
    moon = published_launch(api, days=days, destination="moon", price_cents=30_000_000)
    station = published_launch(api, days=days, destination="space-station", price_cents=10_000_000)
    window = _window(days)

    everything = api.get("/api/launches", params=window).json()
    assert {i["slug"] for i in everything["items"]} == {moon["slug"], station["slug"]} and everything["total"] == 2
    by_destination = api.get("/api/launches", params={**window, "destination": "moon"}).json()
    assert [i["slug"] for i in by_destination["items"]] == [moon["slug"]]
    by_range = api.get("/api/launches", params={**window, "range": "low_earth_orbit"}).json()
    assert [i["slug"] for i in by_range["items"]] == [station["slug"]]
    by_price = api.get("/api/launches", params={**window, "max_price_cents": 10_000_000}).json()
    assert [i["slug"] for i in by_price["items"]] == [station["slug"]]
    elsewhere = api.get("/api/launches", params=_window(days + 1)).json()
    assert moon["slug"] not in {i["slug"] for i in elsewhere["items"]}


def test_card_fields_and_lookup_by_id_or_slug(api):
    launch = published_launch(api, days=_days.pop(), spaceport="kourou", destination="mars", price_cents=99_000_000)
    by_slug = api.get(f"/api/launches/{launch['slug']}")
    by_id = api.get(f"/api/launches/{launch['id']}")
    assert by_slug.status_code == by_id.status_code == 200 and by_slug.json() == by_id.json()
    card = by_slug.json()
    assert card["id"] == launch["id"] and card["url"] == f"/launches/{launch['slug']}"
    assert card["agency_name"] == "Test Orbital" and card["spaceport_name"].startswith("Guiana Space Centre")
    assert card["destination_name"] == "Mars" and card["price_cents"] == 99_000_000
    assert (card["seats_offered"], card["seats_free"], card["status"], card["bookable"]) == (6, 6, "scheduled", True)
    missing = api.get("/api/launches/1999-01-01-nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_pages_of_results(api):
    days = _days.pop()
    slugs = {published_launch(api, days=days)["slug"] for _ in range(3)}
    window = _window(days)
    first = api.get("/api/launches", params={**window, "per_page": 2}).json()
    second = api.get("/api/launches", params={**window, "per_page": 2, "page": 2}).json()
    assert (first["total"], first["page"], first["per_page"], len(first["items"])) == (3, 1, 2, 2)
    assert len(second["items"]) == 1 and {i["slug"] for i in first["items"] + second["items"]} == slugs


def test_sold_out_and_aborted_launches_leave_the_list_but_keep_their_page(api):
    days = _days.pop()
    sold_out = published_launch(api, days=days, capacity=2)
    aborted = published_launch(api, days=days)
    assert book(api, new_traveler(api)[1], sold_out["id"], 2).status_code == 201
    api.post(f"/api/agency/launches/{aborted['id']}/status", headers=aborted["agency_headers"],
             json={"status": "aborted", "reason": "technical"})
    read_model.project_launch(sold_out["id"])
    read_model.project_launch(aborted["id"])
    assert api.get("/api/launches", params=_window(days)).json()["total"] == 0
    assert api.get(f"/api/launches/{sold_out['slug']}").json()["seats_free"] == 0
    gone = api.get(f"/api/launches/{aborted['slug']}").json()
    assert gone["status"] == "aborted" and gone["bookable"] is False


def test_bad_filters_name_the_field(api):
    for params, field in [({"destination": "pluto"}, "destination"), ({"range": "galactic"}, "range"),
                          ({"from": "tomorrow"}, "from"), ({"max_price_cents": "-5"}, "max_price_cents"),
                          ({"from": "2030-02-01", "to": "2030-01-01"}, "to"), ({"per_page": "500"}, "per_page")]:
        response = api.get("/api/launches", params=params)
        assert response.status_code == 422 and response.json()["error"]["field"] == field, (params, response.text)


def test_pages_are_cached_and_a_projection_refreshes_them(api):
    days = _days.pop()
    launch = published_launch(api, days=days)
    window = _window(days)
    assert api.get("/api/launches", params=window).json()["items"][0]["seats_free"] == 6
    r = get_redis()
    card_key = key("catalog", "launch", launch["slug"], catalog_cache.card_generation(launch["slug"]))
    assert r.exists(card_key) == 0
    api.get(f"/api/launches/{launch['slug']}")
    assert r.ttl(card_key) > 0
    assert book(api, new_traveler(api)[1], launch["id"], 2).status_code == 201
    # Until the read model takes the event, visitors see the cached card: the cache never decides.
    assert api.get(f"/api/launches/{launch['slug']}").json()["seats_free"] == 6
    read_model.project_launch(launch["id"])
    assert api.get(f"/api/launches/{launch['slug']}").json()["seats_free"] == 4
    assert api.get("/api/launches", params=window).json()["items"][0]["seats_free"] == 4



def test_a_booking_refreshes_its_launch_card_and_leaves_every_list_page_warm(api):
    """Cached by launch: a booking that leaves seats free moves that launch's card generation only;
    the list pages stay cached (and show the new seat count); selling out moves the lists too."""
    days = _days.pop()
    launch = published_launch(api, days=days, capacity=3)
    other = published_launch(api, days=days)
    window = _window(days)
    api.get("/api/launches", params=window)
    r = get_redis()
    lists, other_card = catalog_cache.list_generation(), catalog_cache.card_generation(other["slug"])
    card = catalog_cache.card_generation(launch["slug"])
    assert book(api, new_traveler(api)[1], launch["id"], 1).status_code == 201
    read_model.project_launch(launch["id"])
    assert catalog_cache.list_generation() == lists, "the list pages stay warm"
    assert catalog_cache.card_generation(other["slug"]) == other_card, "another launch's card stays cached"
    assert catalog_cache.card_generation(launch["slug"]) != card
    digest = catalog_search._digest(catalog_search.parse_query(window))
    assert r.exists(key("catalog", "list", lists, digest)) == 1
    seats = {i["slug"]: i["seats_free"] for i in api.get("/api/launches", params=window).json()["items"]}
    assert seats == {launch["slug"]: 2, other["slug"]: 6}

    assert book(api, new_traveler(api)[1], launch["id"], 2).status_code == 201
    read_model.project_launch(launch["id"])
    assert catalog_cache.list_generation() != lists, "sold out: it leaves the lists"
    assert [i["slug"] for i in api.get("/api/launches", params=window).json()["items"]] == [other["slug"]]


def test_seats_needed_filter_and_sort_orders(api):
    days = _days.pop()
    small = published_launch(api, days=days, capacity=2, price_cents=20_000_000)
    big = published_launch(api, days=days, capacity=8, price_cents=30_000_000)
    cheap = published_launch(api, days=days, capacity=4, price_cents=10_000_000)
    window = _window(days)

    def slugs(**params):
        response = api.get("/api/launches", params={**window, **params})
        assert response.status_code == 200, response.text
        return [i["slug"] for i in response.json()["items"]]

    assert set(slugs(seats_needed=3)) == {big["slug"], cheap["slug"]}
    assert slugs(seats_needed=5) == [big["slug"]]
    assert slugs(sort="price") == [cheap["slug"], small["slug"], big["slug"]]
    assert slugs(sort="-price") == [big["slug"], small["slug"], cheap["slug"]]
    assert slugs(sort="seats") == [big["slug"], cheap["slug"], small["slug"]]
    for bad in ({"seats_needed": "0"}, {"seats_needed": "two"}, {"sort": "popularity"}):
        refused = api.get("/api/launches", params={**window, **bad})
        assert refused.status_code == 422 and refused.json()["error"]["field"] == next(iter(bad))


def test_pages_that_follow_seats_are_cached_and_never_stale_after_a_booking(api):
    """Sorted by free seats or filtered by seats needed, a page changes with each booking: it is
    cached under the seats generation too, which every change of free seats moves."""
    days = _days.pop()
    first = published_launch(api, days=days, capacity=5)
    second = published_launch(api, days=days, capacity=4)
    window = _window(days)

    def slugs(**params):
        return [i["slug"] for i in api.get("/api/launches", params={**window, **params}).json()["items"]]

    def cached_shape(**params) -> bool:
        query = catalog_search.parse_query({**window, **params})
        found = catalog_cache.cached_list(catalog_search._digest(query), catalog_search._follows_seats(query))
        return len(found) > 1

    assert slugs(sort="seats") == [first["slug"], second["slug"]]
    assert slugs(seats_needed=4) == [first["slug"], second["slug"]]
    assert cached_shape(sort="seats") and cached_shape(seats_needed=4), "the next reader is served from Redis"
    seats_before = get_redis().get(key("catalog", "seats-gen"))
    assert book(api, new_traveler(api)[1], first["id"], 2).status_code == 201
    read_model.project_launch(first["id"])
    assert get_redis().get(key("catalog", "seats-gen")) != seats_before
    assert not cached_shape(sort="seats"), "a booking moves the pages that follow seats"
    assert slugs(sort="seats") == [second["slug"], first["slug"]]
    assert slugs(seats_needed=4) == [second["slug"]]
    assert cached_shape(sort="seats")
