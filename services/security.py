"""Password hashing (argon2) and JWT handling. Pure functions: no store is touched here."""
import re
import uuid
from datetime import datetime, timedelta, timezone

import jwt
from passlib.context import CryptContext

from services.errors import NotAuthenticated, ValidationFailed

_passwords = CryptContext(schemes=["argon2"], deprecated="auto")
ALGORITHM = "HS256"
MIN_PASSWORD_LENGTH = 12


def check_password_policy(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"Password must be at least {MIN_PASSWORD_LENGTH} characters long.", field=field)
    if len(password) > 256:
        raise ValidationFailed("Password must be at most 256 characters long.", field=field)
    if password.isalpha() or password.isdigit():
        raise ValidationFailed("Password must mix letters with digits or symbols.", field=field)


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


def decode_token(token: str, secret: str) -> dict:
    """Only HS256 is accepted; exp, sub, role and jti are required."""
    try:
        return jwt.decode(
            token, secret, algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "role", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated("Your session has expired. Sign in again.")
    except jwt.PyJWTError:
        raise NotAuthenticated("Invalid session. Sign in again.")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationFailed("Enter a valid email address, like name@example.com.", field=field)
    return email
