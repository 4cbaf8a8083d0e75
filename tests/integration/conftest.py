import pytest


@pytest.fixture(autouse=True)
def _real_stores(stack):
    """Every integration test talks to this run's own stores, even one that asks for no fixture."""
    yield


@pytest.fixture(scope="module")
def faulty():
    """A fault test module's own stores and app, which it may freeze and kill (tests/faults.py)."""
    from tests.faults import app_on_own_stores

    yield from app_on_own_stores()
