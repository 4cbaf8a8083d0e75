"""Admins create, list and disable accounts; nobody else may."""
import pytest

from tests.helpers import PASSWORD, demo_login, login, new_account, new_traveler, unique_email


def test_admin_creates_agency_account_that_can_sign_in(api):
    admin = demo_login(api, "admin@example.com")
    email = unique_email("agency")
    created = api.post("/api/admin/users", headers=admin,
                       json={"email": email, "password": PASSWORD, "name": "Lunar Lines", "role": "agency"})
    assert created.status_code == 201 and created.json()["role"] == "agency"
    token = api.post("/api/auth/login", json={"email": email, "password": PASSWORD}).json()
    assert token["role"] == "agency"


def test_list_users_is_paginated_and_filtered(api):
    admin = demo_login(api, "admin@example.com")
    new_account(api, "finance")
    page = api.get("/api/admin/users", headers=admin, params={"role": "finance", "per_page": 1}).json()
    assert page["per_page"] == 1 and len(page["items"]) == 1 and page["total"] >= 2
    assert all(u["role"] == "finance" for u in page["items"])


def test_disabled_user_tokens_stop_working(api):
    admin = demo_login(api, "admin@example.com")
    email, headers = new_traveler(api)
    assert api.get("/api/auth/me", headers=headers).status_code == 200
    user_id = api.get("/api/auth/me", headers=headers).json()["id"]
    patched = api.patch(f"/api/admin/users/{user_id}", headers=admin, json={"disabled": True})
    assert patched.status_code == 200 and patched.json()["disabled"] is True
    assert api.get("/api/auth/me", headers=headers).status_code == 401
    # A wrong password learns nothing; only the right one hears that the account is disabled.
    wrong = api.post("/api/auth/login", json={"email": email, "password": "Wrong-Password-9"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_credentials"
    right = api.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert right.status_code == 403 and right.json()["error"]["code"] == "account_disabled"
    assert "disabled" in right.json()["error"]["message"] and "access_token" not in right.text


def test_non_admins_are_forbidden(api):
    _, traveler = new_traveler(api)
    _, agency = new_account(api, "agency")
    for headers in (traveler, agency):
        assert api.get("/api/admin/users", headers=headers).status_code == 403
        refused = api.post("/api/admin/users", headers=headers,
                           json={"email": unique_email(), "password": PASSWORD, "name": "Sneaky", "role": "admin"})
        assert refused.status_code == 403
    assert api.get("/api/admin/users").status_code == 401


def test_admin_input_errors_name_the_field(api):
    admin = demo_login(api, "admin@example.com")
    bad_role = api.post("/api/admin/users", headers=admin,
                        json={"email": unique_email(), "password": PASSWORD, "name": "X Y", "role": "pilot"})
    assert bad_role.status_code == 422 and bad_role.json()["error"]["field"] == "role"
    unknown = api.patch("/api/admin/users/does-not-exist", headers=admin, json={"disabled": True})
    assert unknown.status_code == 404


def test_admin_cannot_disable_self(api):
    admin = demo_login(api, "admin@example.com")
    me = api.get("/api/auth/me", headers=admin).json()
    refused = api.patch(f"/api/admin/users/{me['id']}", headers=admin, json={"disabled": True})
    assert refused.status_code == 409


def test_health_tells_the_public_only_ok_or_degraded(api):
    assert api.get("/api/system/health").json() == {"status": "ok"}
    traveler = new_traveler(api)[1]
    assert api.get("/api/system/health", headers=traveler).json() == {"status": "ok"}
    assert api.get("/api/system/health", headers={"Authorization": "Bearer forged"}).json() == {"status": "ok"}


@pytest.mark.parametrize("role", ["it", "admin"])
def test_health_reports_each_store_to_it_and_admins(api, role):
    _email, headers = new_account(api, role)
    report = api.get("/api/system/health", headers=headers).json()
    assert report["status"] == "ok"
    assert set(report["stores"]) == {"postgresql", "mongodb", "redis"}


def test_admins_search_by_name_or_email_and_sort_with_sign_in_dates(api):
    admin = demo_login(api, "admin@example.com")
    tag = unique_email("zz").split("@")[0]
    first = api.post("/api/admin/users", headers=admin,
                     json={"email": f"{tag}-a@example.com", "password": PASSWORD, "name": "Vela Quorn", "role": "it"}).json()
    second = api.post("/api/admin/users", headers=admin,
                      json={"email": f"{tag}-b@example.com", "password": PASSWORD, "name": "Ada Quorn", "role": "it"}).json()
    assert first["last_sign_in_at"] is None and first["created_at"]
    by_name = api.get("/api/admin/users", headers=admin, params={"q": "quorn", "sort": "name"}).json()
    assert [u["email"] for u in by_name["items"]] == [second["email"], first["email"]]
    by_email = api.get("/api/admin/users", headers=admin, params={"q": tag.upper()}).json()
    assert {u["email"] for u in by_email["items"]} == {first["email"], second["email"]}
    newest = api.get("/api/admin/users", headers=admin, params={"q": tag, "sort": "-created"}).json()
    assert [u["email"] for u in newest["items"]] == [second["email"], first["email"]]
    login(api, first["email"])
    signed = api.get("/api/admin/users", headers=admin, params={"q": tag, "sort": "-last_sign_in"}).json()["items"]
    assert signed[0]["email"] == first["email"] and signed[0]["last_sign_in_at"] and signed[1]["last_sign_in_at"] is None
    bad = api.get("/api/admin/users", headers=admin, params={"sort": "password"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "sort"
