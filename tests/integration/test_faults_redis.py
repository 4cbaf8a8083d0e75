"""Redis stalls, then dies and comes back: bookings, sign-in and the catalog keep answering within
the bounds, nothing acknowledged is lost or doubled, and the cache is used again once it is back.
Every store here is the test's own (tests/faults.py)."""

from tests.booking_helpers import book, published_launch
from tests.faults import booked_seats, dead_deliveries, until, within
from tests.helpers import PASSWORD, drain_outbox, new_traveler

BOUND = 3.0  # seconds: no request waits longer on a dead store (the timeouts are about one)


def test_redis_stalled_then_restarted(faulty):
    stores, api = faulty
    launch = published_launch(api, capacity=20)
    email, traveler = new_traveler(api)
    acknowledged = 0
    assert book(api, traveler, launch["id"], 1, key="before").status_code == 201
    acknowledged += 1

    stores.redis.freeze()  # connections hang: every call waits for its timeout, then the breaker opens
    try:
        for n in range(3):
            booked = within(BOUND, lambda: book(api, traveler, launch["id"], 1, key=f"stalled-{n}"))
            assert booked.status_code == 201, booked.text
            acknowledged += 1
        signed_in = within(BOUND, lambda: api.post("/api/auth/login", json={"email": email, "password": PASSWORD}))
        assert signed_in.status_code == 200
        card = within(BOUND, lambda: api.get(f"/api/launches/{launch['slug']}"))
        assert card.status_code == 200 and card.json()["slug"] == launch["slug"]
        listed = within(BOUND, lambda: api.get("/api/launches"))
        assert listed.status_code == 200 and listed.json()["total"] >= 1
        ready = within(BOUND, lambda: api.get("/api/system/ready"))
        assert ready.status_code == 200 and ready.json()["stores"]["redis"] == "down"
    finally:
        stores.redis.thaw()

    _other, second = new_traveler(api)  # four seats is one traveler's limit per launch
    stores.redis.kill()  # and a crash, without its data (no persistence)
    assert within(BOUND, lambda: book(api, second, launch["id"], 1, key="killed")).status_code == 201
    acknowledged += 1
    stores.redis.start()
    recovery = until(lambda: api.get("/api/system/ready").json()["stores"]["redis"] == "up", "Redis back")
    print(f"\nRedis recovery seen by /ready after restart: {recovery:.2f}s")

    # The same idempotency key never books twice, before, during or after the outage.
    assert book(api, traveler, launch["id"], 1, key="stalled-0").status_code == 200
    assert booked_seats(launch["id"]) == acknowledged
    drain_outbox()
    assert within(BOUND, lambda: api.get(f"/api/launches/{launch['slug']}")).json()["seats_free"] == 20 - acknowledged
    assert dead_deliveries() == 0
