"""MongoDB stalls, then dies and comes back: signed-in travelers keep booking (their account from its last known
copy), sign-in answers 503 naming MongoDB, the public catalog is served stale from Redis, the relay
waits without giving up, and after the restart the read model catches up. Every store here is the
test's own (tests/faults.py)."""

from services.core.cache import get_redis, key
from services.booking import catalog, catalog_cache, catalog_search
from services.kernel import relay
from tests.booking_helpers import book, published_launch
from tests.faults import booked_seats, dead_deliveries, until, within
from tests.helpers import PASSWORD, new_traveler

BOUND = 3.0


def _card_seats(api, slug: str):
    response = api.get(f"/api/launches/{slug}")
    return response.json().get("seats_free") if response.status_code == 200 and not response.json().get("stale") else None


def test_mongodb_killed_then_restarted(faulty):
    from astrobookings.jobs.registry import load_jobs

    load_jobs()
    stores, api = faulty
    launch = published_launch(api, capacity=20)
    email, traveler = new_traveler(api)
    me = api.get("/api/auth/me", headers=traveler).json()
    assert book(api, traveler, launch["id"], 1, key="before").status_code == 201
    acknowledged = 1
    assert api.get(f"/api/launches/{launch['slug']}").status_code == 200  # pages a visitor has seen
    assert api.get("/api/launches").status_code == 200
    assert api.get("/api/launches", params={"sort": "seats"}).status_code == 200  # a page never cached as a shape

    stores.mongo.freeze()  # stalled: connections hang until their timeouts, then the breaker opens
    try:
        booked = within(BOUND, lambda: book(api, traveler, launch["id"], 1, key="stalled"))
        assert booked.status_code == 201, booked.text
        acknowledged += 1
        refused = within(BOUND, lambda: api.post("/api/auth/login", json={"email": email, "password": PASSWORD}))
        assert refused.status_code == 503 and refused.json()["error"]["store"] == "mongodb"
    finally:
        stores.mongo.thaw()
    stores.mongo.kill()
    # The account's short-lived cache entry is gone too: the last known copy must stand in.
    get_redis().delete(key("auth", "account", me["id"]))
    # A change reached the cache just before: the cached card and lists are no longer current.
    catalog_cache.launch_changed(launch["slug"], lists_too=True)
    for n in range(2):
        booked = within(BOUND, lambda: book(api, traveler, launch["id"], 1, key=f"outage-{n}"))
        assert booked.status_code == 201, booked.text
        acknowledged += 1
    refused = within(BOUND, lambda: api.post("/api/auth/login", json={"email": email, "password": PASSWORD}))
    assert refused.status_code == 503 and refused.json()["error"]["store"] == "mongodb"
    assert "MongoDB" in refused.json()["error"]["message"] and int(refused.headers["Retry-After"]) >= 1
    card = within(BOUND, lambda: api.get(f"/api/launches/{launch['slug']}"))
    assert card.status_code == 200 and card.json()["stale"] is True and card.json()["age_seconds"] >= 0
    listed = within(BOUND, lambda: api.get("/api/launches"))
    assert listed.status_code == 200 and listed.json()["stale"] is True
    by_seats = within(BOUND, lambda: api.get("/api/launches", params={"sort": "seats"}))
    assert by_seats.status_code == 200 and by_seats.json()["stale"] is True
    # What the public pages read: the copy and its age, shown as "Updated N s ago".
    assert catalog.launch_with_age(launch["slug"])[1] >= 0 and catalog_search.search_with_age({})[2] >= 0
    ready = within(BOUND, lambda: api.get("/api/system/ready"))
    assert ready.status_code == 200 and ready.json()["stores"]["mongodb"] == "down"
    # The relay meets the outage over and over: deliveries wait, none is given up.
    for _ in range(3):
        relay.drain()
    assert dead_deliveries() == 0

    stores.mongo.start()
    recovery = until(lambda: api.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200,
                     "sign-in after MongoDB's restart")
    print(f"\nMongoDB recovery (sign-in answers again after restart): {recovery:.2f}s")

    def caught_up() -> bool:
        relay.drain()
        return _card_seats(api, launch["slug"]) == 20 - acknowledged
    lag = until(caught_up, "the read model to catch up")
    print(f"read model caught up {lag:.2f}s after sign-in recovered")
    assert booked_seats(launch["id"]) == acknowledged
    assert book(api, traveler, launch["id"], 1, key="outage-0").status_code == 200, "a replay, not a second booking"
    assert booked_seats(launch["id"]) == acknowledged and dead_deliveries() == 0


def test_travelers_who_only_signed_in_book_cancel_and_list_with_mongodb_frozen(faulty):
    """Signed in, never booked, no request since: nothing in Redis. Their accounts come from
    PostgreSQL's copy, refreshed when a profile changes; an account disabled before the outage
    stays refused."""
    from astrobookings.jobs.registry import load_jobs
    from services.auth.accounts import authenticate
    from tests.helpers import drain_outbox, new_account

    load_jobs()
    stores, api = faulty
    launch = published_launch(api, capacity=20)
    travelers = [new_traveler(api)[1] for _ in range(3)]
    renamed = {"name": "Renamed Traveler", "phone": "+1 555 0199", "tax_id": "TX-999", "address": "9 New Road, Mars"}
    assert api.put("/api/auth/me", headers=travelers[0], json=renamed).status_code == 200
    _email, barred = new_traveler(api)
    barred_id = api.get("/api/auth/me", headers=barred).json()["id"]
    _admin_email, admin = new_account(api, "admin")
    assert api.patch(f"/api/admin/users/{barred_id}", headers=admin, json={"disabled": True}).status_code == 200
    drain_outbox()
    get_redis().delete(*[k for k in get_redis().scan_iter(match=key("auth", "account*"))])  # no last known copies

    stores.mongo.freeze()
    try:
        for n, traveler in enumerate(travelers):
            booked = within(BOUND, lambda: book(api, traveler, launch["id"], 1, key=f"only-postgres-{n}"))
            assert booked.status_code == 201, booked.text
            mine = within(BOUND, lambda: api.get("/api/bookings", headers=traveler))
            assert mine.status_code == 200 and [b["id"] for b in mine.json()["items"]] == [booked.json()["id"]]
            cancelled = within(BOUND, lambda: api.post(f"/api/bookings/{booked.json()['id']}/cancel", headers=traveler))
            assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
        assert authenticate(travelers[0]["Authorization"].split()[1]).name == "Renamed Traveler"
        refused = within(BOUND, lambda: book(api, barred, launch["id"], 1, key="barred"))
        assert refused.status_code == 401, refused.text
    finally:
        stores.mongo.thaw()
