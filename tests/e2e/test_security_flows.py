"""Security seen from Chromium against the production server: nothing a signed-out tab may not see
reaches it over the websocket, the session cookie is out of scripts' reach, every page runs under
the Content-Security-Policy without a violation, origins and redirects stay on the site, and the
test server's build leaves the shared one alone."""
import http.client
import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from astrobookings.dev.demo import DEMO_PASSWORD
from tests.agency_helpers import PROFILE, add_rocket, new_agency, schedule
from tests.booking_helpers import book
from tests.e2e.conftest import ROOT, _shared_build
from tests.e2e.flows import sign_in, sign_out
from tests.helpers import PASSWORD, demo_login, new_account, register_body, unique_email

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


class Browser:
    """What reached one tab: the frames received on each of its websockets (one per page load),
    and console messages about the Content-Security-Policy."""

    def __init__(self, page: Page) -> None:
        self.sockets: list[list[str]] = []
        self.csp: list[str] = []
        page.on("websocket", self._opened)
        page.on("console", lambda m: self.csp.append(m.text) if any(w in m.text for w in CSP_WORDS) else None)
        page.on("pageerror", lambda e: self.csp.append(str(e)) if any(w in str(e) for w in CSP_WORDS) else None)

    def _opened(self, ws) -> None:
        frames: list[str] = []
        self.sockets.append(frames)
        ws.on("framereceived", lambda p: frames.append(p if isinstance(p, str) else p.decode("utf-8", "replace")))

    def mark(self) -> int:
        """From now on: frames of websockets opened after this point (the sign-out's page load on)."""
        return len(self.sockets)

    def received_since(self, mark: int) -> str:
        return "\n".join(f for frames in self.sockets[mark:] for f in frames)


def _traveler(api):
    marker = unique_email("leak").split("@")[0].replace("-", "")
    body = register_body(email=f"{marker}@example.com", name=f"Vera {marker}", phone="+1 555 7731 442",
                         tax_id=f"TX{marker[-8:]}", address=f"77 {marker} Lane, Cocoa Beach")
    assert api.post("/api/auth/register", json=body).status_code == 201
    headers = {"Authorization": "Bearer " + api.post("/api/auth/login", json={"email": body["email"], "password": PASSWORD}).json()["access_token"]}
    agency = new_agency(api)
    launch = schedule(api, agency, add_rocket(api, agency)["id"], days=45)
    from services.sync import read_model

    read_model.project_launch(launch["id"])
    people = [{"name": f"Pax {marker}", "email": f"pax.{marker}@example.com", "phone": "+1 555 9090 123",
               "birth_date": "1971-07-19"}]
    assert book(api, headers, launch["id"], people=people).status_code == 201
    secrets = [body["email"], body["name"], body["phone"], body["tax_id"], body["address"], people[0]["name"],
               people[0]["email"], people[0]["phone"]]
    return body["email"], PASSWORD, secrets, ["/traveler", "/traveler/profile", f"/traveler/book/{launch['slug']}"]


def _agency(api):
    email, agency = new_account(api, "agency")
    marker = email.split("@")[0].replace("-", "")
    profile = {**PROFILE, "name": f"Orbital {marker}", "tax_id": f"VAT{marker[-9:]}",
               "legal_address": f"9 {marker} Road, Hawthorne", "contact_phone": "+1 555 4040 777"}
    assert api.put("/api/agency/profile", headers=agency, json=profile).status_code == 200
    launch = schedule(api, agency, add_rocket(api, agency)["id"], days=50)
    people = [{"name": f"Ada {marker}", "email": f"ada.{marker}@example.com", "phone": "+1 555 6060 321",
               "birth_date": "1969-03-27"}]
    from services.sync import read_model
    from tests.helpers import new_traveler

    read_model.project_launch(launch["id"])
    assert book(api, new_traveler(api)[1], launch["id"], people=people).status_code == 201
    secrets = [email, profile["tax_id"], profile["legal_address"], people[0]["name"], people[0]["email"],
               people[0]["phone"], "1969-03-27"]
    pages = ["/agency", "/agency/launches", f"/agency/launches/{launch['id']}", "/agency/profile", "/agency/rockets"]
    return email, PASSWORD, secrets, pages


def _admin(api):
    admin = demo_login(api, "admin@example.com")
    listed = api.get("/api/admin/users", headers=admin).json()["items"]
    secrets = [u["id"] for u in listed] + [u["email"] for u in listed if not u["email"].endswith("@example.com")]
    return "admin@example.com", DEMO_PASSWORD, secrets, ["/admin"]


def _staff(role):
    def prepare(api):
        email, _headers = new_account(api, role)
        return email, PASSWORD, [email], [f"/{role}"]
    return prepare


PORTALS = {"traveler": _traveler, "agency": _agency, "admin": _admin, "finance": _staff("finance"), "it": _staff("it")}


@pytest.mark.parametrize("portal", list(PORTALS))
def test_nothing_protected_reaches_the_tab_after_sign_out(page, api, portal):
    email, password, secrets, paths = PORTALS[portal](api)
    seen = Browser(page)
    sign_in(page, email, password)
    for path in paths:
        page.goto(path)
        expect(page.locator("#portal-title")).to_be_visible()
    assert any(s in seen.received_since(0) for s in secrets), "the portal showed its data while signed in"

    mark = seen.mark()
    sign_out(page)
    # The same tab, anonymous: reloaded, then sent back to every protected page (and bounced).
    page.reload()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    for path in paths:
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/login/?\?next="))
    page.reload()
    # Then someone else signs in in that tab and opens the same addresses.
    other = unique_email("other")
    assert api.post("/api/auth/register", json=register_body(email=other)).status_code == 201
    sign_in(page, other, PASSWORD)
    for path in paths:
        page.goto(path)
        expect(page.locator("#portal-title, #forbidden-title").first).to_be_visible()
    after = seen.received_since(mark)
    leaked = [s for s in secrets if s in after]
    assert not leaked, f"sent to the tab after {email} signed out: {leaked}"
    assert seen.csp == [], seen.csp


def test_session_cookie_is_set_by_the_server_and_hidden_from_scripts(page, server):
    seen = Browser(page)
    sign_in(page, "traveler@example.com")
    [cookie] = [c for c in page.context.cookies() if "ab_session" in c["name"]]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert "ab_session" not in page.evaluate("document.cookie")
    assert cookie["value"] not in seen.received_since(0), "the token itself never travels over the websocket"
    # Signing out revokes the token on the server, not just in this browser.
    sign_out(page)
    assert not [c for c in page.context.cookies() if "ab_session" in c["name"]]
    me = httpx.get(f"{server}/api/auth/me", headers={"Authorization": f"Bearer {cookie['value']}"})
    assert me.status_code == 401


def test_session_endpoints_refuse_other_sites(server):
    for path, body in (("/api/auth/session", {"code": "x" * 20}), ("/api/auth/sign-out", None)):
        refused = httpx.post(f"{server}{path}", json=body, headers={"Origin": "https://evil.example"})
        assert refused.status_code == 403, (path, refused.text)


def test_every_portal_page_runs_under_the_content_security_policy(page, server):
    seen = Browser(page)
    page.goto("/")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    response = page.goto("/launches")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    for account, paths in (("agency@example.com", ["/agency", "/agency/launches", "/agency/rockets", "/agency/profile",
                                                   "/agency/launches/new"]),
                           ("traveler@example.com", ["/traveler", "/traveler/profile"]),
                           ("admin@example.com", ["/admin"]), ("finance@example.com", ["/finance"]),
                           ("it@example.com", ["/it"])):
        sign_in(page, account)
        for path in paths:
            page.goto(path)
            expect(page.locator("#portal-title")).to_be_visible()
        sign_out(page)
    assert seen.csp == [], seen.csp


def test_security_headers_on_pages_and_api(server):
    for path in ("/", "/login", "/launches", "/api/launches", "/api/system/health"):
        headers = httpx.get(f"{server}{path}", follow_redirects=True).headers
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin" and "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "strict-transport-security" not in headers, "HSTS only when served over HTTPS"


def test_cors_and_websocket_only_for_our_own_origin(server):
    evil = "https://evil.example"
    simple = httpx.get(f"{server}/api/launches", headers={"Origin": evil})
    assert "access-control-allow-origin" not in simple.headers
    preflight = httpx.options(f"{server}/api/auth/me", headers={"Origin": evil, "Access-Control-Request-Method": "GET"})
    assert preflight.headers.get("access-control-allow-origin") is None
    ours = httpx.options(f"{server}/api/auth/me", headers={"Origin": server, "Access-Control-Request-Method": "GET"})
    assert ours.headers["access-control-allow-origin"] == server
    assert _websocket_handshake(server, evil) != 101
    assert _websocket_handshake(server, server) == 101


def _websocket_handshake(server: str, origin: str) -> int:
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", "/_event/?EIO=4&transport=websocket&token=probe", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": origin})
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.parametrize("path", ["/admin", "//evil.example/%2e%2e", "/login/..", "/\\evil.example/%2e%2e/"])
def test_redirects_stay_on_the_site_whatever_the_host_header(server, path):
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", "attacker.example")
    conn.endheaders()
    response = conn.getresponse()
    location = response.getheader("location")
    conn.close()
    if response.status in (301, 302, 303, 307, 308):
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert "attacker.example" not in location and "evil.example" not in urlsplit(location).netloc


@pytest.mark.parametrize("target", ["//evil.example/agency", "/\\evil.example", "https://evil.example", "/\\/evil.example"])
def test_sign_in_never_sends_people_off_the_site(page, server, target):
    sign_in(page, "agency@example.com", next_path=quote(target, safe=""))
    assert urlsplit(page.url).netloc == urlsplit(server).netloc
    expect(page).to_have_url(re.compile(r"/agency/?$"))


def test_the_test_server_builds_apart_from_make_run(server, shared_build_before):
    """`make run` in the same checkout serves .web; building there with another port broke it."""
    assert _shared_build() == shared_build_before
    private = json.loads((ROOT / "var" / "build" / "e2e" / "web" / "env.json").read_text())
    assert private["EVENT"].endswith(f":{urlsplit(server).port}/_event")
    assert Path(ROOT / "var" / "build" / "e2e" / "web").resolve() != (ROOT / ".web").resolve()
