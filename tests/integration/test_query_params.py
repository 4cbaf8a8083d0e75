"""A query parameter a route does not declare answers 422 naming it, on every operation of the
API, before anything is done (a misspelt filter must not read as "no filter"); every filter a
route does declare is described in the OpenAPI document."""
import re

import pytest

from tests.api_roles import headers_by_role, operations, role_for
from tests.helpers import new_traveler


@pytest.fixture(scope="module")
def tokens(api):
    return headers_by_role(api)


def test_every_operation_refuses_a_query_parameter_it_does_not_declare(api, tokens):
    found = operations(api)
    assert len(found) >= 60, "the whole API is walked"
    wrong = []
    for method, path in found:
        url = re.sub(r"\{\w+\}", "1", path)  # any id: the parameter is refused before the lookup
        response = api.request(method, url, params={"no_such_filter": "1"},
                               headers=tokens[role_for(path)], json={} if method != "GET" else None)
        error = response.json().get("error", {}) if response.status_code == 422 else {}
        if error.get("field") != "no_such_filter":
            wrong.append(f"{method} {path} -> {response.status_code} {response.text[:120]}")
    assert not wrong, f"{len(wrong)} operation(s) ignored an unknown query parameter:\n" + "\n".join(wrong)
    # The crawlers' pages, outside the API, keep the tracking parameters of shared links.
    assert api.get("/launches", params={"utm_source": "newsletter"}).status_code == 200


def test_a_misspelt_log_filter_is_refused_naming_it_and_what_the_route_takes(api, tokens):
    email, _headers = new_traveler(api)
    response = api.get("/api/system/logs", params={"actor": email}, headers=tokens["it"])
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and error["field"] == "actor"
    assert "actor_email" in error["message"]
    # The right name is still a filter; an anonymous caller learns nothing but to sign in.
    assert api.get("/api/system/logs", params={"actor_email": email}, headers=tokens["it"]).status_code == 200
    assert api.get("/api/system/logs", params={"actor": email}).status_code == 401


def test_a_refused_parameter_writes_nothing(api, tokens):
    from tests.agency_helpers import add_rocket

    rocket = add_rocket(api, tokens["agency"])
    response = api.delete(f"/api/agency/rockets/{rocket['id']}", params={"force": "true"}, headers=tokens["agency"])
    assert response.status_code == 422 and response.json()["error"]["field"] == "force"
    assert api.get(f"/api/agency/rockets/{rocket['id']}", headers=tokens["agency"]).status_code == 200


def test_every_query_parameter_is_described_in_the_openapi_document(api):
    schema = api.get("/api/openapi.json").json()
    bare = [f"{method.upper()} {path} {p['name']}" for path, ops in schema["paths"].items()
            for method, op in ops.items() for p in op.get("parameters", [])
            if p["in"] == "query" and not p.get("description")]
    assert not bare, "query parameters without a description:\n" + "\n".join(bare)
