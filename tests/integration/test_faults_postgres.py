"""PostgreSQL freezes, or dies, and comes back: bookings answer 503 naming PostgreSQL within 3 s
(not 500, not a wait on a server that will not answer, even on connections the pool already
holds), what does not need it keeps answering (the public catalog, sign-in, liveness), and
afterwards a booking repeated with its Idempotency-Key books exactly once. Every store here is
the test's own (tests/faults.py)."""
import pytest
from sqlalchemy import text

from services.core.breaker import StoreUnavailable, breaker
from services.core.db import read_session
from tests.booking_helpers import book, published_launch
from tests.faults import booked_seats, until, within
from tests.helpers import PASSWORD, new_traveler

BOUND = 3.0


def _refused_by_postgresql(answer) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["store"] == "postgresql" and int(answer.headers["Retry-After"]) >= 1


def _what_needs_no_postgresql_answers(api, launch: dict, email: str) -> None:
    assert within(BOUND, lambda: api.get(f"/api/launches/{launch['slug']}")).status_code == 200
    signed_in = within(BOUND, lambda: api.post("/api/auth/login", json={"email": email, "password": PASSWORD}))
    assert signed_in.status_code == 200
    assert within(BOUND, lambda: api.get("/api/system/live")).status_code == 200
    ready = within(BOUND, lambda: api.get("/api/system/ready"))
    assert ready.status_code == 503 and ready.json()["stores"]["postgresql"] == "down"


def _books_once_when_back(api, traveler: dict, launch: dict, key: str, what: str) -> None:
    """Refused with 503 until PostgreSQL answers, then booked; the same key again is a replay."""
    answers = []
    recovery = until(lambda: answers.append(book(api, traveler, launch["id"], 1, key=key)) or
                     answers[-1].status_code in (200, 201), f"a booking after {what}")
    print(f"\n{what} (a booking succeeds): {recovery:.2f}s")
    assert {a.status_code for a in answers} <= {503, 201, 200}, "refused with 503 until back, never 500"
    assert book(api, traveler, launch["id"], 1, key=key).status_code == 200, "the same key: a replay"
    assert booked_seats(launch["id"]) == 2


def test_postgresql_frozen_then_thawed(faulty):
    stores, api = faulty
    launch = published_launch(api, capacity=20)
    email, traveler = new_traveler(api)
    agency = launch["agency_headers"]
    # Connections the pool holds already: a frozen server must not hang the requests that use them.
    assert book(api, traveler, launch["id"], 1, key="before-freeze").status_code == 201
    assert api.get("/api/bookings", headers=traveler).status_code == 200

    stores.postgres.freeze()
    try:
        for n in range(4):
            _refused_by_postgresql(within(BOUND, lambda: book(api, traveler, launch["id"], 1, key="frozen")))
        _refused_by_postgresql(within(BOUND, lambda: api.get("/api/bookings", headers=traveler)))
        _refused_by_postgresql(within(BOUND, lambda: api.get(f"/api/agency/launches/{launch['id']}", headers=agency)))
        _what_needs_no_postgresql_answers(api, launch, email)
    finally:
        stores.postgres.thaw()

    _books_once_when_back(api, traveler, launch, "frozen", "PostgreSQL thawed")


def test_postgresql_killed_then_restarted(faulty):
    stores, api = faulty
    launch = published_launch(api, capacity=20)
    email, traveler = new_traveler(api)
    assert book(api, traveler, launch["id"], 1, key="before").status_code == 201

    stores.postgres.kill()
    for n in range(5):
        _refused_by_postgresql(within(BOUND, lambda: book(api, traveler, launch["id"], 1, key="during")))
    _what_needs_no_postgresql_answers(api, launch, email)

    stores.postgres.start()
    _books_once_when_back(api, traveler, launch, "during", "PostgreSQL restarted")


def test_a_statement_past_the_statement_timeout_answers_as_unavailable_without_opening_the_breaker(faulty):
    def slow_twice() -> None:
        for _ in range(2):
            with pytest.raises(StoreUnavailable), read_session() as session:
                session.execute(text("select pg_sleep(5)"))

    within(2 * BOUND, slow_twice)  # cancelled by the server at DB_STATEMENT_TIMEOUT (2 s), each time
    assert breaker("postgresql").state == "closed", "one heavy query does not refuse everyone else"
