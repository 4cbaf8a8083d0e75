"""Security at the REST edge: what anonymous callers learn, bounded input, embedded data, health."""
import json

import pytest

from tests.helpers import new_traveler

PROTECTED_WRITES = [
    ("post", "/api/bookings"), ("post", "/api/bookings/1/cancel"), ("post", "/api/agency/rockets"),
    ("put", "/api/agency/rockets/1"), ("post", "/api/agency/launches"), ("post", "/api/agency/launches/1/status"),
    ("put", "/api/agency/profile"), ("post", "/api/admin/users"), ("patch", "/api/admin/users/x"), ("put", "/api/auth/me"),
]


@pytest.mark.parametrize("method,path", PROTECTED_WRITES)
@pytest.mark.parametrize("body", [{"json": {"nonsense": True}}, {"content": b"{not json", "headers": {"content-type": "application/json"}}])
def test_anonymous_request_with_a_bad_body_is_401_not_422(api, method, path, body):
    response = api.request(method.upper(), path, **body)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "not_authenticated" and "field" in response.json()["error"]
    forged = api.request(method.upper(), path, **{**body, "headers": {**body.get("headers", {}), "Authorization": "Bearer forged"}})
    assert forged.status_code == 401


def test_signed_in_caller_still_gets_422_naming_the_field(api):
    _email, headers = new_traveler(api)
    response = api.post("/api/bookings", headers=headers, json={"passengers": []})
    assert response.status_code == 422 and response.json()["error"]["field"]


def test_agency_name_cannot_break_the_crawler_pages(api):
    """An agency named to open an HTML comment once blanked every launch page and the list."""
    import re

    from services.sync import read_model
    from tests.agency_helpers import PROFILE, add_rocket, new_agency, schedule

    headers = new_agency(api)
    hostile = "<!--<script>"
    assert api.put("/api/agency/profile", headers=headers, json={**PROFILE, "name": hostile}).status_code == 200
    launch = schedule(api, headers, add_rocket(api, headers)["id"], days=3)
    read_model.project_launch(launch["id"])
    for path in (f"/launches/{launch['slug']}", "/launches"):
        html = api.get(path).text
        assert hostile not in html and "<!--" not in html.split("<body", 1)[0]
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert scripts and hostile in json.dumps([json.loads(s) for s in scripts], ensure_ascii=False)


def test_manifest_csv_disarms_formula_cells(api):
    import csv
    import io

    from tests.agency_helpers import make_due
    from tests.booking_helpers import book, passengers, published_launch

    launch = published_launch(api, days=2)
    _email, traveler = new_traveler(api)
    people = passengers(2)
    people[0]["name"], people[1]["name"] = '=HYPERLINK("http://evil.example","Refund")', "@SUM(A1:A9)"
    assert book(api, traveler, launch["id"], people=people).status_code == 201
    make_due(launch["id"])
    agency = launch["agency_headers"]
    assert api.post(f"/api/agency/launches/{launch['id']}/status", headers=agency, json={"status": "launched"}).status_code == 200
    report = api.get(f"/api/agency/launches/{launch['id']}/manifest.csv", headers=agency)
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert rows[0]["Passenger"].startswith("'=HYPERLINK(") and rows[1]["Passenger"] == "'@SUM(A1:A9)"
    for cell in (c for row in rows for c in row.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_one_account_per_address_whatever_its_unicode_spelling(api):
    from tests.helpers import PASSWORD, register_body

    local = "nfkc" + __import__("uuid").uuid4().hex[:8]
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in local) + "@ｅｘａｍｐｌｅ.com"
    created = api.post("/api/auth/register", json=register_body(email=fullwidth))
    assert created.status_code == 201 and created.json()["email"] == f"{local}@example.com"
    assert api.post("/api/auth/register", json=register_body(email=f"{local.upper()}@example.com")).status_code == 409
    assert api.post("/api/auth/login", json={"email": fullwidth, "password": PASSWORD}).status_code == 200
    spoof = api.post("/api/auth/register", json=register_body(email=f"{local}-аdmin@example.com"))
    assert spoof.status_code == 422 and spoof.json()["error"]["field"] == "email"
    weak = api.post("/api/auth/register", json=register_body(password="Password2024!"))
    assert weak.status_code == 422 and weak.json()["error"]["field"] == "password"


HUGE = 2**63


@pytest.fixture
def charges(monkeypatch):
    """Every card charge the sandbox gateway makes during the test (the real gateway, observed)."""
    from services.kernel import payments

    made = []
    real = payments.SandboxGateway.charge

    def charge(self, card_number, amount_cents, description):
        made.append(amount_cents)
        return real(self, card_number, amount_cents, description)

    monkeypatch.setattr(payments.SandboxGateway, "charge", charge)
    return made


@pytest.mark.parametrize("change,field", [
    ({"launch_id": HUGE}, "launch_id"),
    ({"launch_id": 0}, "launch_id"),
    ({"passengers": [{"name": "Ana\x00Lima", "email": "ana@example.com", "phone": "+1 555 0100", "birth_date": "1985-05-01"}]},
     "passengers.0.name"),
    ({"passengers": [{"name": "Ana Lima", "email": "ana@example.com", "phone": "+1 555\n0100", "birth_date": "1985-05-01"}]},
     "passengers.0.phone"),
    ({"passengers": [{"name": "Ana Lima", "email": "ana@example.com", "phone": "+1 555 0100", "birth_date": "9999-12-31"}]},
     "passengers.0.birth_date"),
    ({"passengers": [{"name": "Ana \ud800 Lima", "email": "ana@example.com", "phone": "+1 555 0100", "birth_date": "1985-05-01"}]},
     "passengers.0.name"),
])
def test_bad_booking_input_is_422_before_any_payment(api, charges, change, field):
    from tests.booking_helpers import APPROVE, passengers, published_launch

    launch = published_launch(api, days=60)
    _email, traveler = new_traveler(api)
    body = {"launch_id": launch["id"], "passengers": passengers(1), "payment": {"card_number": APPROVE}, **change}
    # As JSON text: a lone surrogate travels as its \u escape, as a hostile client would send it.
    response = api.post("/api/bookings", headers={**traveler, "content-type": "application/json"}, content=json.dumps(body))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert charges == [], "no card is charged for a request that could never be saved"
    assert api.get("/api/bookings", headers=traveler).json()["total"] == 0


def test_bad_agency_input_is_422_naming_the_field(api):
    from tests.agency_helpers import PROFILE, add_rocket, future, new_agency, schedule

    agency = new_agency(api)
    rocket = add_rocket(api, agency)
    launch = schedule(api, agency, rocket["id"])
    base = {"rocket_id": rocket["id"], "spaceport": "kourou", "destination": "moon", "date": future(), "price_cents": 100}
    cases = [
        ("put", "/api/agency/profile", {**PROFILE, "name": "Orbital\x00Inc"}, "name"),
        ("put", "/api/agency/profile", {**PROFILE, "legal_address": "1 Road\r\nX-Injected: yes"}, "legal_address"),
        ("post", "/api/agency/rockets", {"name": "Hop\x00per", "capacity": 6, "range": "suborbital"}, "name"),
        ("post", "/api/agency/launches", {**base, "date": "9999-12-31T23:00:00-05:00"}, "date"),
        ("post", "/api/agency/launches", {**base, "date": "0001-01-01T00:30:00+01:00"}, "date"),
        ("post", "/api/agency/launches", {**base, "rocket_id": HUGE}, "rocket_id"),
        ("post", "/api/agency/launches", {**base, "price_cents": HUGE}, "price_cents"),
        ("post", f"/api/agency/launches/{launch['id']}/status",
         {"status": "delayed", "date": "9999-12-31T23:30:00-01:00"}, "date"),
        ("post", f"/api/agency/launches/{launch['id']}/status", {"status": "delayed", "date": future(500), "version": HUGE},
         "version"),
        ("get", f"/api/agency/rockets/{HUGE}", None, "rocket_id"),
        ("get", f"/api/agency/launches/{2**31}", None, "launch_id"),
        ("get", "/api/agency/launches?page=99999999999999", None, "page"),
    ]
    for method, path, body, field in cases:
        response = api.request(method.upper(), path, headers=agency, json=body)
        assert response.status_code == 422, (path, body, response.text)
        assert response.json()["error"]["field"] == field, (path, response.json())


@pytest.mark.parametrize("path,field", [
    ("/api/launches?to=9999-12-31", "to"), ("/api/launches?from=0001-01-01", "from"),
    (f"/api/launches?max_price_cents={HUGE}", "max_price_cents"), ("/api/launches?page=99999999999", "page"),
    ("/api/launches/%00", "id_or_slug"), (f"/api/bookings/{HUGE}", "booking_id"),
])
def test_bad_public_and_traveler_parameters_are_422(api, path, field):
    _email, traveler = new_traveler(api)
    response = api.get(path, headers=traveler)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_bad_account_input_is_422(api):
    from tests.helpers import demo_login, register_body

    assert api.post("/api/auth/register", json=register_body(name="Eve\x00")).json()["error"]["field"] == "name"
    admin = demo_login(api, "admin@example.com")
    assert api.get("/api/admin/users?q=a%00b", headers=admin).status_code == 422
    assert api.get("/api/admin/users?role=emperor", headers=admin).status_code == 422
    assert api.patch("/api/admin/users/" + "x" * 65, headers=admin, json={"disabled": True}).status_code == 422
