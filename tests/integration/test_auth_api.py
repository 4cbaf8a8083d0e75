"""Sign-up, sign-in, sign-out and the current user, against real MongoDB and Redis."""
from services.core.models.documents import EntryLog
from services.core.mongo import system_db
from tests.helpers import PASSWORD, drain_outbox, login, register_body, unique_email


def test_register_login_me_logout(api):
    body = register_body()
    created = api.post("/api/auth/register", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["role"] == "traveler" and "password_hash" not in created.json()

    token = api.post("/api/auth/login", json={"email": body["email"], "password": PASSWORD}).json()
    assert token["token_type"] == "bearer" and token["role"] == "traveler"
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    me = api.get("/api/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == body["email"] and me.json()["tax_id"] == "TX-123"

    assert api.post("/api/auth/logout", headers=headers).status_code == 204
    revoked = api.get("/api/auth/me", headers=headers)
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "not_authenticated"


def test_email_is_case_insensitive_and_unique(api):
    body = register_body()
    assert api.post("/api/auth/register", json=body).status_code == 201
    again = api.post("/api/auth/register", json={**body, "email": body["email"].upper()})
    assert again.status_code == 409
    assert again.json()["error"]["field"] == "email"


def test_bad_input_is_422_naming_the_field(api):
    short = api.post("/api/auth/register", json=register_body(password="short"))
    assert short.status_code == 422
    assert short.json()["error"]["field"] == "password"
    assert "12" in short.json()["error"]["message"]

    missing = api.post("/api/auth/register", json={k: v for k, v in register_body().items() if k != "phone"})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "phone"

    bad_email = api.post("/api/auth/register", json=register_body(email="not-an-email"))
    assert bad_email.status_code == 422 and bad_email.json()["error"]["field"] == "email"


def test_failed_sign_in_is_generic(api):
    body = register_body()
    api.post("/api/auth/register", json=body)
    wrong_password = api.post("/api/auth/login", json={"email": body["email"], "password": "Wrong-Password-9"})
    no_account = api.post("/api/auth/login", json={"email": unique_email(), "password": "Wrong-Password-9"})
    assert wrong_password.status_code == no_account.status_code == 401
    assert wrong_password.json()["error"]["message"] == no_account.json()["error"]["message"]


def test_repeated_failures_are_throttled_with_retry_after(api):
    body = register_body()
    api.post("/api/auth/register", json=body)
    for _ in range(5):
        assert api.post("/api/auth/login", json={"email": body["email"], "password": "Wrong-Password-9"}).status_code == 401
    throttled = api.post("/api/auth/login", json={"email": body["email"], "password": PASSWORD})
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert throttled.json()["error"]["code"] == "too_many_requests"


def test_missing_and_garbage_tokens_are_401(api):
    assert api.get("/api/auth/me").status_code == 401
    assert api.get("/api/auth/me", headers={"Authorization": "Bearer not.a.token"}).status_code == 401


def test_activity_is_logged(api):
    body = register_body()
    api.post("/api/auth/register", json=body)
    headers = login(api, body["email"])
    api.post("/api/auth/logout", headers=headers)
    api.post("/api/auth/login", json={"email": body["email"], "password": "Wrong-Password-9"})
    # No PostgreSQL transaction here: the events go through the outbox stream, then the relay.
    drain_outbox()
    logs = system_db()[EntryLog.collection]
    user_id = logs.find_one({"action": "auth.registered", "actor_email": body["email"]})["actor_id"]
    actions = [d["action"] for d in logs.find({"$or": [{"actor_id": user_id}, {"subject": f"login:{body['email']}"}]})]
    assert sorted(actions) == ["auth.registered", "auth.sign_in_failed", "auth.signed_in", "auth.signed_out"]
    entry = logs.find_one({"action": "auth.signed_in", "actor_id": user_id})
    assert entry["entry_point"] == "api" and entry["client_address"] and entry["subject"] == f"user:{user_id}"
    assert entry["event_id"] and entry["_id"] == f"event-{entry['event_id']}"
