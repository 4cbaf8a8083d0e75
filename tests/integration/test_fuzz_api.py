"""Schema-driven fuzzing of the whole REST API: every operation in the OpenAPI document, with valid
and deliberately invalid input (schemathesis on hypothesis), for every role. Whatever comes in,
the answer is never a 5xx. Bounded: a fixed number of examples per operation, mode and role, and
derandomized, so a run is repeatable and takes the same time.
"""
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.agency_helpers import add_rocket, new_agency, schedule
from tests.booking_helpers import book, published_launch
from tests.helpers import forget_throttling, new_account, new_traveler

ROLES = ["anonymous", "traveler", "agency", "finance", "it", "admin"]
EXAMPLES = 6
# Ids and slugs at the 32- and 64-bit edges and beyond: each one is also sent in every path
# parameter of every operation (a MongoDB driver refuses integers beyond 8 bytes).
EDGE_IDS = ["2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "99999999999999999999"]
_DROP = {"user-agent", "accept-encoding", "connection", "x-schemathesis-testcaseid"}


@pytest.fixture(scope="module")
def client(stack):
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api

    # Unhandled errors come back as the 500 a caller would get, instead of raising in the test.
    with TestClient(create_api(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def operations(client):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 25, "the whole API is fuzzed"
    return found


def _identity(api, role: str) -> tuple[str | None, dict]:
    """The role's user id (None when anonymous) and ids of things it owns, to aim some cases at."""
    if role == "anonymous":
        return None, {}
    if role == "traveler":
        _email, headers = new_traveler(api)
        launch = published_launch(api, days=30)
        booking = book(api, headers, launch["id"], 1).json()
        owned = {"booking_id": booking["id"]}
    elif role == "agency":
        headers = new_agency(api)
        rocket = add_rocket(api, headers)
        owned = {"rocket_id": rocket["id"], "launch_id": schedule(api, headers, rocket["id"])["id"]}
    else:
        _email, headers = new_account(api, role)
        owned = {}
    return api.get("/api/auth/me", headers=headers).json()["id"], owned


@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_any_operation_answer_5xx(api, client, operations, role):
    from services.core.settings import get_settings
    from services.auth import security

    user_id, owned = _identity(api, role)
    failures: list[str] = []

    def send(case) -> None:
        request = case.as_transport_kwargs(base_url="http://testserver")
        headers = {k: v for k, v in request["headers"].items() if k.lower() not in _DROP}
        if user_id:
            # A fresh token per case: a fuzzed sign-out revokes only its own.
            headers["Authorization"] = "Bearer " + security.issue_token(user_id, role, get_settings().jwt_secret, 30)[0]
        body = {"json": request["json"]} if "json" in request else {"content": request.get("data")}
        try:
            response = client.request(request["method"], request["url"], params=request.get("params"),
                                      headers=headers, **body)
        except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
            return  # the client could not even send it: nothing reached the server
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {request['method']} {request['url']} params={request.get('params')} "
                            f"body={str(request.get('json', request.get('data')))[:300]} -> {response.text[:200]}")

    for operation in operations:
        aimed = {name: value for name, value in owned.items() if f"{{{name}}}" in operation.path}
        names = [p.name for p in operation.path_parameters]
        edges = [{name: edge for name in names} for edge in EDGE_IDS] if names else []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path_parameters in [None] + ([aimed] if aimed else []) + (edges if mode is GenerationMode.POSITIVE else []):
                forget_throttling()
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

                examples = 1 if path_parameters in edges else EXAMPLES

                @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
                @given(case=strategy)
                def run(case):
                    send(case)

                try:
                    run()
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE, operation.path  # nothing to get wrong

    assert not failures, f"{len(failures)} request(s) answered 5xx as {role}:\n" + "\n".join(failures[:20])
