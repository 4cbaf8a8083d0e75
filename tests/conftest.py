"""Fixtures shared by the integration and end-to-end tests. Unit tests need none of them."""
import os

import pytest

from tests.stack import TestStack


@pytest.fixture(scope="session")
def stack():
    test_stack = TestStack()
    os.environ.update(test_stack.start())
    from services.core import migrate, mongo
    from astrobookings.dev import demo
    from services.core.settings import get_settings

    get_settings.cache_clear()
    from services.core.db import get_engine
    get_engine.cache_clear()  # nothing made before the stores' URLs were known may linger
    migrate.upgrade()
    mongo.ensure_indexes()
    demo.seed_accounts()
    yield test_stack
    test_stack.stop()


@pytest.fixture(autouse=True)
def _forget_login_failures(request):
    """Failed sign-ins and sign-ups count per client address; one test's must not throttle the next."""
    yield
    if "stack" in request.fixturenames:
        from tests.helpers import forget_throttling

        forget_throttling()


@pytest.fixture(scope="session")
def api(stack):
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api

    with TestClient(create_api()) as client:
        yield client


@pytest.fixture
def mailbox(stack):
    return stack.mailbox
