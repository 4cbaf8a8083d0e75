"""Degrading, not falling over, at the REST edge: liveness and readiness, and a store known to be
down (its circuit breaker open) answers 503 with Retry-After naming the store, at once, while the
paths that do not need that store keep answering."""
from tests.booking_helpers import book, published_launch
from tests.helpers import known_down, new_traveler


def test_live_and_ready_while_every_store_answers(api):
    assert api.get("/api/system/live").json() == {"status": "live"}
    ready = api.get("/api/system/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["ready"] is True and body["status"] == "ok" and body["degraded"] == {}
    assert body["stores"] == {"postgresql": "up", "mongodb": "up", "redis": "up"}
    assert "details" not in body, "latencies and error types are for IT and admins"


def test_postgresql_down_refuses_bookings_with_503_and_retry_after(api):
    launch = published_launch(api)
    _email, traveler = new_traveler(api)
    with known_down("postgresql"):
        refused = book(api, traveler, launch["id"], 1)
        assert refused.status_code == 503
        assert int(refused.headers["Retry-After"]) >= 1
        error = refused.json()["error"]
        assert error["code"] == "store_unavailable" and error["store"] == "postgresql"
        assert "PostgreSQL" in error["message"] and "try again" in error["message"]
        # Not ready (bookings need PostgreSQL), yet alive; the public catalog does not need it.
        ready = api.get("/api/system/ready")
        assert ready.status_code == 503 and ready.json()["stores"]["postgresql"] == "down"
        assert "postgresql" in ready.json()["degraded"]
        assert api.get("/api/system/health").status_code == 503
        assert api.get("/api/system/live").status_code == 200
        assert api.get(f"/api/launches/{launch['slug']}").status_code == 200
    assert book(api, traveler, launch["id"], 1).status_code == 201, "back once the store answers"


def test_redis_down_is_degraded_but_ready_and_bookings_go_on(api):
    launch = published_launch(api)
    _email, traveler = new_traveler(api)
    with known_down("redis"):
        ready = api.get("/api/system/ready")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded" and ready.json()["stores"]["redis"] == "down"
        assert "redis" in ready.json()["degraded"]
        assert api.get("/api/system/health").status_code == 200, "a working instance stays in the pool"
        assert book(api, traveler, launch["id"], 1).status_code == 201
        # The catalog is read from MongoDB.
        assert api.get(f"/api/launches/{launch['slug']}").json()["slug"] == launch["slug"]
        listed = api.get("/api/launches")
        assert listed.status_code == 200 and listed.json()["total"] >= 1
