"""The state handler decorator: actor resolved and role-checked before the body, refusals shown
next to their field, and Reflex sees the handler's own arguments (never `actor`)."""
import inspect

import pytest
import redis

from services.core.breaker import StoreUnavailable
from services.kernel.errors import Conflict
from state.handlers import Feedback, acting_as, loads


class _Page:
    """Stands in for a page state: the decorator needs only these members."""

    def __init__(self, actor):
        self._actor, self.error, self.error_field, self.notice, self.calls = actor, "old", "old", "old", []

    def actor_with(self, *roles):
        return self._actor if self._actor and self._actor[1] in roles else None

    def _clear_feedback(self):
        self.error, self.error_field, self.notice = "", "", ""

    def _refuse(self, exc):
        self.error, self.error_field = exc.message, exc.field or ""

    _unavailable = Feedback._unavailable

    @acting_as("agency", refused="Only agencies may add rockets.")
    def create(self, actor, form: dict):
        self.calls.append((actor, form))
        if form.get("name") == "taken":
            raise Conflict("You already have a rocket with this name.", field="name")
        if form.get("name") == "outage":
            raise StoreUnavailable("postgresql", retry_after=3)
        if form.get("name") == "bug":
            raise KeyError("name")
        self.notice = "Added."


def test_the_body_runs_with_the_actor_of_an_allowed_role():
    page = _Page(("u1", "agency"))
    page.create({"name": "Hopper"})
    assert page.calls == [(("u1", "agency"), {"name": "Hopper"})] and (page.error, page.notice) == ("", "Added.")


def test_a_wrong_role_or_no_user_is_refused_before_the_body():
    for actor in (None, ("u2", "traveler")):
        page = _Page(actor)
        page.create({"name": "Hopper"})
        assert page.calls == [] and page.error == "Only agencies may add rockets." and page.notice == ""


def test_a_domain_error_lands_next_to_its_field():
    page = _Page(("u1", "agency"))
    page.create({"name": "taken"})
    assert (page.error, page.error_field, page.notice) == ("You already have a rocket with this name.", "name", "")


def test_reflex_sees_only_the_event_arguments():
    assert list(inspect.signature(_Page.create).parameters) == ["self", "form"]
    assert "actor" not in _Page.create.__annotations__


def test_a_store_outage_is_a_message_naming_the_store_not_a_crash():
    page = _Page(("u1", "agency"))
    page.create({"name": "outage"})
    assert "PostgreSQL" in page.error and "3 seconds" in page.error and page.notice == ""


def test_an_unreachable_account_store_while_resolving_the_actor_is_a_message_too():
    page = _Page(("u1", "agency"))

    def down(*roles):
        raise redis.ConnectionError("refused")
    page.actor_with = down
    page.create({"name": "Hopper"})
    assert "Redis" in page.error and page.calls == []


def test_a_bug_still_raises():
    with pytest.raises(KeyError):
        _Page(("u1", "agency")).create({"name": "bug"})


class _List:
    """Stands in for a list state: `loads` needs only `load_error`."""

    def __init__(self, fail: Exception | None):
        self.fail, self.load_error, self.rows = fail, "left over", []

    @loads("your bookings")
    def _reload(self):
        if self.fail:
            raise self.fail
        self.rows = ["booking"]


def test_a_list_that_loads_clears_its_old_failure():
    page = _List(fail=None)
    page._reload()
    assert (page.rows, page.load_error) == (["booking"], "")


def test_a_list_that_fails_to_load_says_so_instead_of_looking_empty():
    page = _List(fail=KeyError("a bug"))
    page._reload()
    assert page.rows == [] and page.load_error == "We could not load your bookings. Please try again in a moment."


def test_a_list_whose_store_is_down_names_the_store():
    page = _List(fail=redis.ConnectionError("refused"))
    page._reload()
    assert page.rows == [] and "Redis" in page.load_error
