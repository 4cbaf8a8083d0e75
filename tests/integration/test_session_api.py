"""The browser session cookie set by the server from a one-time code, its sign-out, and the
headers, CORS and redirects every response carries (the REST app as the server mounts it)."""
import pytest

from services.core.settings import get_settings
from services.auth import accounts as auth
from services.auth import sessions
from tests.helpers import PASSWORD, new_traveler

ORIGIN = "http://localhost:3000"  # the suite's PUBLIC_BASE_URL


def _code(email: str) -> tuple[str, str]:
    token = auth.login({"email": email, "password": PASSWORD}).access_token
    return sessions.hand_off(token), token


def test_a_one_time_code_becomes_an_httponly_strict_cookie(api):
    email, _headers = new_traveler(api)
    code, token = _code(email)
    response = api.post("/api/auth/session", json={"code": code}, headers={"Origin": ORIGIN})
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"ab_session={token};") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie, "plain http on a laptop: Secure is off unless configured"
    again = api.post("/api/auth/session", json={"code": code}, headers={"Origin": ORIGIN})
    assert again.status_code == 400 and "set-cookie" not in again.headers, "a code works once"


def test_the_cookie_is_secure_and_host_bound_behind_https(api, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    get_settings.cache_clear()
    try:
        email, _headers = new_traveler(api)
        code, _token = _code(email)
        cookie = api.post("/api/auth/session", json={"code": code}, headers={"Origin": ORIGIN}).headers["set-cookie"]
        assert cookie.startswith("__Host-ab_session=") and "Secure" in cookie and "HttpOnly" in cookie
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}])
def test_other_sites_cannot_set_or_clear_the_session(api, headers):
    email, _ = new_traveler(api)
    code, _token = _code(email)
    refused = api.post("/api/auth/session", json={"code": code}, headers=headers)
    assert refused.status_code == 403 and "set-cookie" not in refused.headers
    assert api.post("/api/auth/sign-out", headers=headers, follow_redirects=False).status_code == 403


def test_sign_out_revokes_the_token_and_clears_the_cookie(api):
    email, _ = new_traveler(api)
    _code_unused, token = _code(email)
    response = api.post("/api/auth/sign-out", headers={"Origin": ORIGIN, "Cookie": f"ab_session={token}"},
                        follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert 'ab_session=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert api.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_every_response_carries_the_security_headers(api):
    for path in ("/api/launches", "/api/system/health", "/api/auth/me", "/robots.txt", "/launches"):
        headers = api.get(path).headers
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin"
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
    page = api.get("/launches").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in page and "'unsafe-inline'" not in page.split("style-src")[0]


def test_hsts_only_when_served_over_https(api, monkeypatch):
    assert "strict-transport-security" not in api.get("/api/launches").headers
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://book.example.com")
    get_settings.cache_clear()
    try:
        assert api.get("/api/launches").headers["strict-transport-security"].startswith("max-age=")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_trailing_slash_redirects_ignore_the_host_header(api):
    response = api.get("/api/agency/rockets/", headers={"Host": "attacker.example"}, follow_redirects=False)
    assert response.status_code in (307, 308) and response.headers["location"] == "/api/agency/rockets"


def test_cors_answers_only_our_origin_with_credentials(api):
    evil = api.options("/api/auth/me", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in evil.headers
    assert "access-control-allow-origin" not in api.get("/api/launches", headers={"Origin": "https://evil.example"}).headers
    ours = api.options("/api/auth/me", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert ours.headers["access-control-allow-origin"] == ORIGIN and ours.headers["access-control-allow-credentials"] == "true"
