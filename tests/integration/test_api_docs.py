"""The API's documentation works on a closed network: Swagger UI (/api/docs) and ReDoc (/api/redoc)
load their scripts and styles from this server, and the schema documents every refusal with the
error body and the request rules people trip over (password, passengers per booking)."""
import re

from services.auth.security import MIN_PASSWORD_LENGTH
from services.booking.rules import SEAT_LIMIT, VIP_SEAT_LIMIT

_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_docs_pages_reference_only_this_server_and_their_assets_answer(api):
    for page in ("/api/docs", "/api/redoc"):
        response = api.get(page)
        assert response.status_code == 200
        assert "text/html" in response.headers["content-type"]
        assert not re.search(r"https?://", response.text), f"{page} names another host"
        assets = [u for u in _URL.findall(response.text) if u.startswith("/api/docs/assets/")]
        assert assets, f"{page} loads no local asset"
        for url in assets:
            asset = api.get(url)
            assert asset.status_code == 200, url
            assert len(asset.content) > 1000 or url.endswith("init.js"), url
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "http" not in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "<redoc spec-url=\"/api/openapi.json\"" in api.get("/api/redoc").text


def test_unknown_docs_asset_is_refused_without_reading_any_file(api):
    for name in ("..%2F..%2Fsettings.py", "index.html", "swagger-ui.css.map"):
        response = api.get(f"/api/docs/assets/{name}")
        assert response.status_code == 404, name
        assert set(response.json()) == {"error"}, name  # the error body, never a file


def test_every_operation_documents_its_refusals_with_the_error_body(api):
    schema = api.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorBody"}
    assert set(schema["components"]["schemas"]["ErrorDetail"]["properties"]) == {"code", "message", "field"}
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            expected = set()
            if op.get("security"):
                expected |= {"401", "403"}
            if "{" in path:
                expected.add("404")
            if method in ("post", "put", "patch", "delete"):
                expected.add("409")
            if op.get("parameters") or "requestBody" in op:
                expected.add("422")
            for status in expected:
                answer = op["responses"].get(status)
                assert answer, f"{method.upper()} {path} does not document {status}"
                assert answer["content"]["application/json"]["schema"] == error
    booking = schema["paths"]["/api/bookings/{booking_id}/cancel"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422"} <= set(booking)


def test_request_fields_carry_the_rules_and_examples(api):
    schemas = api.get("/api/openapi.json").json()["components"]["schemas"]
    password = schemas["UserRegister"]["properties"]["password"]
    assert f"At least {MIN_PASSWORD_LENGTH} characters" in password["description"] and password["examples"]
    passengers = schemas["BookingCreate"]["properties"]["passengers"]["description"]
    assert f"at most {SEAT_LIMIT} seats" in passengers and f"{VIP_SEAT_LIMIT} for a VIP" in passengers
    assert schemas["PassengerCreate"]["properties"]["birth_date"]["examples"] == ["1980-01-15"]
    assert schemas["LaunchCreate"]["properties"]["price_cents"]["description"] == "Price per seat in US cents."
