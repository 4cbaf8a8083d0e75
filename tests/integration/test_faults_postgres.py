"""PostgreSQL dies and comes back: bookings answer 503 naming PostgreSQL at once (not 500, not a
long wait), what does not need it keeps answering (the public catalog, sign-in, liveness), and
after the restart a booking repeated with its Idempotency-Key books exactly once. Every store
here is the test's own (tests/faults.py)."""

from tests.booking_helpers import book, published_launch
from tests.faults import booked_seats, until, within
from tests.helpers import PASSWORD, new_traveler

BOUND = 3.0


def test_postgresql_killed_then_restarted(faulty):
    stores, api = faulty
    launch = published_launch(api, capacity=20)
    email, traveler = new_traveler(api)
    assert book(api, traveler, launch["id"], 1, key="before").status_code == 201

    stores.postgres.kill()
    for n in range(5):
        refused = within(BOUND, lambda: book(api, traveler, launch["id"], 1, key="during"))
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["store"] == "postgresql" and int(refused.headers["Retry-After"]) >= 1
    assert within(BOUND, lambda: api.get(f"/api/launches/{launch['slug']}")).status_code == 200
    signed_in = within(BOUND, lambda: api.post("/api/auth/login", json={"email": email, "password": PASSWORD}))
    assert signed_in.status_code == 200
    assert within(BOUND, lambda: api.get("/api/system/live")).status_code == 200
    ready = within(BOUND, lambda: api.get("/api/system/ready"))
    assert ready.status_code == 503 and ready.json()["stores"]["postgresql"] == "down"

    stores.postgres.start()
    answers = []
    recovery = until(lambda: answers.append(book(api, traveler, launch["id"], 1, key="during")) or
                     answers[-1].status_code in (200, 201), "a booking after PostgreSQL's restart")
    print(f"\nPostgreSQL recovery (a booking succeeds after restart): {recovery:.2f}s")
    assert {a.status_code for a in answers} <= {503, 201, 200}, "refused with 503 until back, never 500"
    assert book(api, traveler, launch["id"], 1, key="during").status_code == 200, "the same key: a replay"
    assert booked_seats(launch["id"]) == 2
