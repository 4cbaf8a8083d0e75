"""Password hashing, password policy and JWT handling: pure functions, no stores."""
import base64
import json
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from services.auth import security
from services.kernel.errors import NotAuthenticated, ValidationFailed

SECRET = "unit-test-secret-0123456789abcdef-xyz"


def test_argon2_hash_verifies_only_the_right_password():
    hashed = security.hash_password("Correct-Horse-42!")
    assert hashed.startswith("$argon2")
    assert security.verify_password("Correct-Horse-42!", hashed)
    assert not security.verify_password("correct-horse-42!", hashed)


def test_hashes_are_salted():
    assert security.hash_password("Same-Password-1") != security.hash_password("Same-Password-1")


def test_verify_never_raises_on_garbage_hash():
    assert security.verify_password("whatever-123456", "not-a-hash") is False


@pytest.mark.parametrize("password", ["short-1", "elevenchars", "", "abcdefghijklmnop", "1234567890123"])
def test_password_policy_refuses_weak_passwords(password):
    with pytest.raises(ValidationFailed) as info:
        security.check_password_policy(password)
    assert info.value.field == "password"


def test_password_policy_accepts_twelve_mixed_characters():
    security.check_password_policy("abcdefghijk1")


def test_token_round_trip_carries_sub_role_jti_exp():
    token, jti, expires = security.issue_token("user-1", "agency", SECRET, 30)
    claims = security.decode_token(token, SECRET)
    assert claims["sub"] == "user-1" and claims["role"] == "agency" and claims["jti"] == jti
    assert abs(claims["exp"] - int(expires.timestamp())) <= 1


def test_expired_token_is_refused():
    past = datetime.now(timezone.utc) - timedelta(hours=2)
    token, _, _ = security.issue_token("user-1", "traveler", SECRET, 30, now=past)
    with pytest.raises(NotAuthenticated, match="expired"):
        security.decode_token(token, SECRET)


def test_tampered_token_is_refused():
    token, _, _ = security.issue_token("user-1", "traveler", SECRET, 30)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(NotAuthenticated):
        security.decode_token(f"{header}.{forged}.{signature}", SECRET)


def test_wrong_secret_is_refused():
    token, _, _ = security.issue_token("user-1", "traveler", "another-secret-0123456789abcdef-xyz", 30)
    with pytest.raises(NotAuthenticated):
        security.decode_token(token, SECRET)


def test_alg_none_is_refused():
    claims = {"sub": "user-1", "role": "admin", "jti": "x", "exp": datetime.now(timezone.utc) + timedelta(hours=1)}
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(NotAuthenticated):
        security.decode_token(unsigned, SECRET)


def test_token_without_expiry_is_refused():
    token = jwt.encode({"sub": "user-1", "role": "admin", "jti": "x"}, SECRET, algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        security.decode_token(token, SECRET)


@pytest.mark.parametrize("email", ["plain", "a@b", "two@@example.com", "space in@example.com"])
def test_bad_emails_name_the_field(email):
    with pytest.raises(ValidationFailed) as info:
        security.normalize_email(email)
    assert info.value.field == "email"


def test_email_is_normalized():
    assert security.normalize_email("  Ada@Example.COM ") == "ada@example.com"


def _resolve(token, revoked=(), accounts=None):
    from services.auth.accounts import resolve_actor

    accounts = accounts if accounts is not None else {"user-1": {"_id": "user-1", "email": "a@b.co", "role": "agency"}}
    return resolve_actor(token, SECRET, lambda jti: jti in revoked, accounts.get)


def test_valid_token_resolves_to_the_account_role():
    token, _, _ = security.issue_token("user-1", "traveler", SECRET, 30)
    actor = _resolve(token)
    assert actor.user_id == "user-1" and actor.role == "agency"  # the account's current role wins


def test_revoked_token_is_refused():
    token, jti, _ = security.issue_token("user-1", "agency", SECRET, 30)
    with pytest.raises(NotAuthenticated, match="signed out"):
        _resolve(token, revoked={jti})


def test_disabled_or_deleted_account_is_refused():
    token, _, _ = security.issue_token("user-1", "agency", SECRET, 30)
    with pytest.raises(NotAuthenticated, match="disabled"):
        _resolve(token, accounts={"user-1": {"_id": "user-1", "email": "a@b.co", "role": "agency", "disabled": True}})
    with pytest.raises(NotAuthenticated):
        _resolve(token, accounts={})


def test_missing_token_is_refused():
    with pytest.raises(NotAuthenticated):
        _resolve(None)


@pytest.mark.parametrize("password", ["Password2024!", "qwerty123456", "iloveyou1234", "!!Sunshine2025", "1qaz2wsx3edc"])
def test_common_passwords_are_refused_even_with_digits_and_symbols_around_them(password):
    with pytest.raises(ValidationFailed, match="too common") as info:
        security.check_password_policy(password)
    assert info.value.field == "password"


@pytest.mark.parametrize("password", ["!!!!!!!!!!!!", " " * 12, "\t \t \t \t \t \t ", "ab1ab1ab1ab1", "%%%%%%%%%%%%%%%%%%%"])
def test_repeated_characters_and_whitespace_are_refused(password):
    with pytest.raises(ValidationFailed) as info:
        security.check_password_policy(password)
    assert info.value.field == "password" and ("repeated" in info.value.message or "spaces" in info.value.message)


def test_the_common_password_list_ships_with_the_code():
    common = security._common_passwords()
    assert len(common) == 10_000 and {"password", "123456", "qwerty"} <= common


@pytest.mark.parametrize("raw,canonical", [("Ana@Example.COM", "ana@example.com"), ("ａｎａ@ｅｘａｍｐｌｅ.com", "ana@example.com"),
                                           (" ana@example.com ", "ana@example.com"), ("иван@пример.рф", "иван@пример.рф"),
                                           ("山田たろう@example.jp", "山田たろう@example.jp")])
def test_emails_are_nfkc_normalised(raw, canonical):
    assert security.normalize_email(raw) == canonical == security.canonical_email(raw)


@pytest.mark.parametrize("email", ["pаypal@example.com", "admin@exаmple.com", "ana\u200b@example.com", "ana@exa\u202emple.com",
                                   "οmega-ana@example.com"])
def test_look_alike_and_invisible_character_addresses_are_refused(email):
    with pytest.raises(ValidationFailed) as info:
        security.normalize_email(email)
    assert info.value.field == "email"
