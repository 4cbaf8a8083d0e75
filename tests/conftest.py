"""Fixtures shared by the integration and end-to-end tests. Unit tests need none of them."""
import os

import pytest

from tests.stack import TestStack


@pytest.fixture(scope="session")
def stack():
    test_stack = TestStack()
    os.environ.update(test_stack.start())
    from astrobookings import demo, migrate, mongo
    from astrobookings.settings import get_settings

    get_settings.cache_clear()
    migrate.upgrade()
    mongo.ensure_indexes()
    demo.seed_accounts()
    yield test_stack
    test_stack.stop()


@pytest.fixture(autouse=True)
def _forget_login_failures(request):
    """Failed sign-ins count per client address; one test's failures must not throttle the next."""
    yield
    if "stack" in request.fixturenames:
        from astrobookings.cache import get_redis, key

        r = get_redis()
        for k in r.scan_iter(match=key("login-fail", "*")):
            r.delete(k)


@pytest.fixture(scope="session")
def api(stack):
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api

    with TestClient(create_api()) as client:
        yield client


@pytest.fixture
def mailbox(stack):
    return stack.mailbox
