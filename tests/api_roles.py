"""Which role may call a REST route, by its path, and a signed-in header of each role: for tests
that walk every operation of the OpenAPI document and need each call to get past the role check."""
from tests.helpers import new_account, new_traveler

_ROLE_BY_PREFIX = [("/api/auth/me", "traveler"), ("/api/auth/logout", "traveler"), ("/api/agency", "agency"), ("/api/bookings", "traveler"), ("/api/me", "traveler"),
                   ("/api/finance", "finance"), ("/api/admin", "admin"), ("/api/system", "it"),
                   ("/api/notifications", "it")]


def role_for(path: str) -> str | None:
    """None: anonymous (the catalog, sign-in, the crawlers' pages)."""
    return next((role for prefix, role in _ROLE_BY_PREFIX if path.startswith(prefix)), None)


def headers_by_role(api) -> dict[str | None, dict]:
    from tests.agency_helpers import new_agency

    found = {None: {}, "traveler": new_traveler(api)[1], "agency": new_agency(api)}
    for role in ("finance", "admin", "it"):
        found[role] = new_account(api, role)[1]
    return found


def operations(api) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI document."""
    schema = api.get("/api/openapi.json").json()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]
