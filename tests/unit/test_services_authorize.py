"""Every service operation authorizes its caller first: the web UI, the REST API and the
scheduler get the same checks because the check is in the service. An actor whose role may do
nothing is refused by each public operation taking an actor, before it reads or writes anything
(no store runs in unit tests, so touching one first would fail differently)."""
import importlib
import inspect
import pkgutil

import pytest

import services
from services.kernel.actor import Actor
from services.kernel.errors import Forbidden

NOBODY = Actor(user_id="u-nobody", email="nobody@example.com", role="nobody")
# Operations any signed-in user may call on their own account, and the kernel's plumbing.
OPEN_TO_EVERY_ROLE = {"services.auth.accounts.me", "services.auth.accounts.update_profile", "services.auth.accounts.logout"}
PLUMBING = ("services.kernel.", "services.monitor.")


def _operations():
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        if info.name.startswith(PLUMBING):
            continue
        for name, func in vars(module).items():
            if (inspect.isfunction(func) and func.__module__ == info.name and not name.startswith("_")
                    and next(iter(inspect.signature(func).parameters), None) == "actor"
                    and f"{info.name}.{name}" not in OPEN_TO_EVERY_ROLE):
                yield f"{info.name}.{name}", func


OPERATIONS = dict(_operations())


def test_the_operations_are_found():
    assert {"services.booking.bookings.create_booking", "services.agency.launches.change_status",
            "services.auth.users.create_user"} <= set(OPERATIONS)


@pytest.fixture
def no_store(monkeypatch):
    """Opening a PostgreSQL session first would only build an engine (no connection yet), and
    cache it with this process's settings: refuse it outright."""
    import services.core.db

    def refuse():
        raise AssertionError("a store was touched before the caller was authorized")
    monkeypatch.setattr(services.core.db, "get_engine", refuse)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_an_actor_without_a_role_is_refused_first(name, no_store):
    func = OPERATIONS[name]
    params = list(inspect.signature(func).parameters.values())[1:]
    args = [{} if p.annotation is not int and "int" not in str(p.annotation) else 1
            for p in params if p.default is inspect.Parameter.empty and p.kind is not p.KEYWORD_ONLY]
    with pytest.raises(Forbidden):
        func(NOBODY, *args)
