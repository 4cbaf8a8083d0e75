import pytest


@pytest.fixture(autouse=True)
def _real_stores(stack):
    """Every integration test talks to this run's own stores, even one that asks for no fixture."""
    yield
