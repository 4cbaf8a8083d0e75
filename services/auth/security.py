"""Password hashing (argon2) and JWT handling. Pure functions: no store is touched here."""
import re
import string
import unicodedata
import uuid
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import jwt
from passlib.context import CryptContext

from services.kernel.errors import NotAuthenticated, ValidationFailed

_passwords = CryptContext(schemes=["argon2"], deprecated="auto")
ALGORITHM = "HS256"
MIN_PASSWORD_LENGTH = 12


def check_password_policy(password: str, field: str = "password") -> None:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"Password must be at least {MIN_PASSWORD_LENGTH} characters long.", field=field)
    if len(password) > 256:
        raise ValidationFailed("Password must be at most 256 characters long.", field=field)
    if not password.strip():
        raise ValidationFailed("Password must not be only spaces.", field=field)
    if _REPEATED.fullmatch(password):
        raise ValidationFailed("Password must not be one character or a short sequence repeated.", field=field)
    if password.isalpha() or password.isdigit():
        raise ValidationFailed("Password must mix letters with digits or symbols.", field=field)
    if is_common_password(password):
        raise ValidationFailed("Password is too common: it is on lists of passwords that attackers try first.",
                               field=field)


# "aaaaaaaaaaaa", "            ", "ab1ab1ab1ab1": one unit of up to four characters, repeated.
_REPEATED = re.compile(r"(.{1,4})\1+", re.DOTALL)
_DECORATION = string.digits + string.punctuation + string.whitespace


@lru_cache
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """On the shipped list of common passwords, as it is or once digits and symbols are taken off
    its ends ("Password2024!" is "password" with decoration)."""
    common = _common_passwords()
    lowered = password.lower()
    core = lowered.strip(_DECORATION)
    return lowered in common or (len(core) >= 4 and core in common)


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _passwords.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


# A hash to verify against when the account does not exist, so timing does not reveal it.
_DUMMY_HASH = _passwords.hash("not-a-real-password-0")


def burn_verify_time(password: str) -> None:
    _passwords.verify(password, _DUMMY_HASH)


def issue_token(user_id: str, role: str, secret: str, ttl_minutes: int, now: datetime | None = None) -> tuple[str, str, datetime]:
    now = now or datetime.now(timezone.utc)
    jti = uuid.uuid4().hex
    expires = now + timedelta(minutes=ttl_minutes)
    claims = {"sub": user_id, "role": role, "jti": jti, "iat": now, "exp": expires}
    return jwt.encode(claims, secret, algorithm=ALGORITHM), jti, expires


def decode_token(token: str, secret: str | list[str]) -> dict:
    """Only HS256 is accepted; exp, sub, role and jti are required. `secret` may list the current
    secret and the previous ones of a rotation: a token signed with any of them is accepted."""
    candidates = [secret] if isinstance(secret, str) else secret
    for i, key in enumerate(candidates):
        try:
            return jwt.decode(
                token, key, algorithms=[ALGORITHM],
                options={"require": ["exp", "sub", "role", "jti"]},
            )
        except jwt.ExpiredSignatureError:
            raise NotAuthenticated("Your session has expired. Sign in again.")
        except jwt.InvalidSignatureError:
            if i + 1 < len(candidates):
                continue
            raise NotAuthenticated("Invalid session. Sign in again.")
        except jwt.PyJWTError:
            raise NotAuthenticated("Invalid session. Sign in again.")
    raise NotAuthenticated("Invalid session. Sign in again.")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Letters of these scripts mix in ordinary Japanese and Korean writing; any other mix in one part
# of an address (Latin "a" beside Cyrillic "а") is how look-alike addresses are made.
_MIXING_ALLOWED = {"CJK": "CJK", "HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def canonical_email(email: str | None) -> str:
    """One spelling per address: Unicode NFKC (fullwidth and compatibility forms fold to their
    plain letters), trimmed, lower case. Sign-in looks accounts up by this form."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def _scripts(part: str) -> set[str]:
    scripts = set()
    for ch in part:
        if ch.isalpha():
            name = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            scripts.add(_MIXING_ALLOWED.get(name, name))
    return scripts


def normalize_email(email: str, field: str = "email") -> str:
    email = canonical_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationFailed("Enter a valid email address, like name@example.com.", field=field)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in email):
        raise ValidationFailed("Email must not contain invisible or control characters.", field=field)
    local, _, domain = email.rpartition("@")
    if any(len(_scripts(part)) > 1 for part in [local, *domain.split(".")]):
        raise ValidationFailed("Email mixes letters of different alphabets (like Latin and Cyrillic look-alikes) "
                               "in one part; write each part in one alphabet.", field=field)
    return email
