"""Small REST helpers for tests: sign up, sign in, and headers with a bearer token."""
import uuid
from contextlib import contextmanager

from astrobookings.dev.demo import DEMO_PASSWORD

PASSWORD = "Correct-Horse-42!"


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def register_body(email: str | None = None, **overrides) -> dict:
    body = {"email": email or unique_email("traveler"), "password": PASSWORD, "name": "Test Traveler",
            "phone": "+1 555 0101", "tax_id": "TX-123", "address": "1 Test Street, Springfield"}
    body.update(overrides)
    return body


def login(api, email: str, password: str = PASSWORD) -> dict:
    response = api.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def new_traveler(api) -> tuple[str, dict]:
    body = register_body()
    assert api.post("/api/auth/register", json=body).status_code == 201
    return body["email"], login(api, body["email"])


def demo_login(api, email: str) -> dict:
    return login(api, email, DEMO_PASSWORD)


def new_account(api, role: str) -> tuple[str, dict]:
    """An admin creates an account with this role; returns its email and auth headers."""
    email = unique_email(role)
    admin = demo_login(api, "admin@example.com")
    response = api.post("/api/admin/users", headers=admin,
                        json={"email": email, "password": PASSWORD, "name": f"Test {role}", "role": role})
    assert response.status_code == 201, response.text
    return email, login(api, email)


def drain_outbox(timeout: float = 10.0) -> None:
    """Run the relay until every event is delivered to every consumer (deliveries waiting for a
    retry's backoff excepted). Another relay (the end-to-end server's) may be delivering some
    meanwhile, so wait for those too, polling with a deadline."""
    import time

    from sqlalchemy import text

    from services.core.db import read_session
    from astrobookings.jobs.registry import load_jobs
    from services.kernel import relay

    load_jobs()  # the same consumers the scheduler runs
    names = [c.name for c in relay.consumers()]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        relay.drain(timeout=max(deadline - time.monotonic(), 0.1))
        with read_session() as session:
            busy = session.execute(text("""
                select (select count(*) from outbox_event where dispatched_at is null)
                     + (select count(*) from outbox_delivery where status = 'pending' and consumer = any(:names)
                        and (next_attempt_at <= now() or (attempts > 0 and last_error is null)))"""),
                {"names": names}).scalar_one()
        if busy == 0:
            return
        time.sleep(0.02)
    raise AssertionError(f"{busy} outbox events or deliveries still waiting after {timeout}s")


@contextmanager
def known_down(store: str):
    """The store's circuit breaker opens, as after failed calls, and stays open for the block:
    every call to that store fails at once with StoreUnavailable (its outage, seen from here)."""
    from services.core.breaker import breaker

    b = breaker(store)
    cooldown, b.cooldown = b.cooldown, 600
    b.failure("test outage", force=True)
    try:
        yield
    finally:
        b.cooldown = cooldown
        b.reset()


def forget_throttling() -> None:
    """Forget every failed sign-in and sign-up this run counted (they count per client address).
    SCAN walks the whole keyspace of a Redis other runs share too: in big steps, not SCAN's 10."""
    from services.core.cache import get_redis, key

    r = get_redis()
    stale = [k for pattern in (key("login-fail", "*"), key("register", "*"))
             for k in r.scan_iter(match=pattern, count=10_000)]
    if stale:
        r.delete(*stale)

