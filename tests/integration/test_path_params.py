"""Every path parameter that names a resource (an id or a slug), on every router, answers 404 or
422 naming the parameter for values at and beyond the 64-bit edges, signs, exponents and digits
from other scripts; never a 500 (a MongoDB driver refuses integers beyond 8 bytes, `int()` refuses
superscript digits). Each operation is called by a role that may reach it, so the value gets past
the sign-in check to the lookup itself."""
import re

import pytest

from tests.api_roles import headers_by_role, operations, role_for

EDGE_IDS = ["99999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "2147483648", "0", "-1", "1e3", "0x10", "²", "١٢", "１２", "9" * 400]
_EXTRA_PATHS = ["/launches/{slug}"]  # the crawlers' HTML page, outside the OpenAPI document


@pytest.fixture(scope="module")
def tokens(api):
    return headers_by_role(api)


@pytest.fixture(scope="module")
def client(stack):
    from fastapi.testclient import TestClient

    from astrobookings.api import create_api

    # An unhandled error comes back as the 500 a caller would get, instead of raising here.
    with TestClient(create_api(), raise_server_exceptions=False) as test_client:
        yield test_client


def _operations(api) -> list[tuple[str, str]]:
    return [(m, p) for m, p in operations(api) if "{" in p] + [("GET", p) for p in _EXTRA_PATHS]


def test_every_path_parameter_at_the_64_bit_edges_answers_404_or_422_naming_it(client, tokens):
    found = _operations(client)
    assert len(found) >= 20, "every route with a path parameter is covered"
    wrong = []
    for method, path in found:
        (name,) = re.findall(r"\{(\w+)\}", path)
        headers = tokens[role_for(path)]
        for value in EDGE_IDS:
            url = path.replace("{" + name + "}", value)
            body = {} if method in ("POST", "PUT", "PATCH") else None
            response = client.request(method, url, headers=headers, json=body)
            if response.status_code not in (404, 422):
                wrong.append(f"{method} {url[:80]} -> {response.status_code} {response.text[:120]}")
                continue
            if response.headers.get("content-type", "").startswith("application/json"):
                error = response.json()["error"]
                if response.status_code == 404 and not error.get("field"):
                    wrong.append(f"{method} {url[:80]} -> 404 without a field: {error}")
                # A 422 names this parameter, unless the body (sent empty) was refused first.
                if response.status_code == 422 and error["field"] != name and body is None:
                    wrong.append(f"{method} {url[:80]} -> 422 naming {error['field']!r}, not {name!r}")
    assert not wrong, f"{len(wrong)} answer(s) out of 404/422:\n" + "\n".join(wrong[:30])
