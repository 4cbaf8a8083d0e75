"""Sign-in and sign-up throttling against real Redis: counted atomically, growing per-account waits
(never a lockout), a per-address limit, and registration limited per address."""
import threading
import time

import pytest

from services.core.cache import get_redis, key
from services.core.settings import get_settings
from tests.helpers import PASSWORD, register_body, unique_email

WRONG = "Wrong-Password-9"


def _login(api, email, password=WRONG):
    return api.post("/api/auth/login", json={"email": email, "password": password})


def _registered(api) -> str:
    body = register_body()
    assert api.post("/api/auth/register", json=body).status_code == 201
    return body["email"]


@pytest.fixture
def setting(monkeypatch):
    """Overrides one setting for this test (read anew), restoring the suite's afterwards."""
    def set_(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        get_settings.cache_clear()
    yield set_
    monkeypatch.undo()
    get_settings.cache_clear()


def _until_allowed(api, email, password, deadline_s: float):
    deadline = time.monotonic() + deadline_s
    while True:
        response = _login(api, email, password)
        if response.status_code != 429 or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def test_twenty_wrong_passwords_at_once_check_at_most_five(api):
    email = _registered(api)
    barrier, codes = threading.Barrier(20), []

    def attempt():
        barrier.wait()
        codes.append(_login(api, email).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = codes.count(401)
    assert 1 <= checked <= get_settings().login_max_failures_per_account, codes
    assert codes.count(429) == 20 - checked


def test_waits_grow_per_account_but_never_lock_it_out(api):
    email = _registered(api)
    for _ in range(5):
        assert _login(api, email).status_code == 401
    first = _login(api, email, PASSWORD)
    assert first.status_code == 429 and 1 <= int(first.headers["Retry-After"]) <= 2
    assert "this account" in first.json()["error"]["message"]
    # Once the wait is over one more guess is checked, and the next wait is longer.
    assert _until_allowed(api, email, WRONG, 10).status_code == 401
    second = _login(api, email, PASSWORD)
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > int(first.headers["Retry-After"])
    # The owner gets in once that wait is over: there is no 15-minute lockout.
    assert _until_allowed(api, email, PASSWORD, 15).status_code == 200
    assert _login(api, email).status_code == 401, "a successful sign-in forgets the failures"


def test_the_wait_is_capped_however_many_failures_an_attacker_piles_up(api, setting):
    setting("LOGIN_MAX_DELAY_SECONDS", "3")
    email = _registered(api)
    get_redis().set(key("login-fail", "acct", email), 500, ex=900)
    assert _login(api, email).status_code == 401
    refused = _login(api, email, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 3
    assert _until_allowed(api, email, PASSWORD, 10).status_code == 200


def test_one_address_is_limited_across_accounts(api):
    limit = get_settings().login_max_failures_per_ip
    for _ in range(limit):
        assert _login(api, unique_email("nobody")).status_code == 401
    email = _registered(api)
    refused = _login(api, email, PASSWORD)
    assert refused.status_code == 429 and "your network" in refused.json()["error"]["message"]


def test_successful_sign_ins_do_not_use_up_the_address_limit(api):
    email = _registered(api)
    for _ in range(get_settings().login_max_failures_per_ip + 5):
        assert _login(api, email, PASSWORD).status_code == 200


def test_registration_is_limited_per_address(api, setting):
    setting("REGISTER_MAX_PER_IP", "3")
    taken = _registered(api)
    assert api.post("/api/auth/register", json=register_body(email=taken)).status_code == 409
    assert api.post("/api/auth/register", json=register_body()).status_code == 201
    refused = api.post("/api/auth/register", json=register_body(email=taken))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_sign_in_works_while_redis_is_down_and_failures_are_still_limited(api):
    """Redis down: the right password signs in; wrong ones are counted in this process at half the
    limits, so guessing is slowed all the same (never unlimited)."""
    from tests.helpers import known_down

    email = _registered(api)
    with known_down("redis"):
        assert _login(api, email, PASSWORD).status_code == 200
        answers = [_login(api, email).status_code for _ in range(4)]
        assert answers[0] == 401 and 429 in answers, answers
        refused = _login(api, email, PASSWORD)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
