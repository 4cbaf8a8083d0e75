"""Accounts: register, sign in, sign out, and who a token belongs to. Users live in MongoDB."""
import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from pymongo.errors import DuplicateKeyError

from services.core.breaker import store_of
from services.core.cache import get_redis, key
from services.core.models.documents import RevokedToken, Role, User
from services.core.models.users import LoginRequest, ProfileUpdate, TokenResponse, UserPublic, UserRegister
from services.core.mongo import system_db
from services.core.settings import get_settings
from services.auth import copies, security
from services.auth import throttle
from services.auth.events import ProfileUpdated, Registered, SignedIn, SignedOut, SignInFailed, SignInRefused
from services.kernel import outbox
from services.kernel.actor import Actor
from services.kernel.errors import Conflict, Forbidden, NotAuthenticated
from services.kernel.validation import parse

_GENERIC_FAILURE = "Email or password is not correct."


def _users():
    return system_db()[User.collection]


def public(user: User | dict) -> UserPublic:
    if isinstance(user, dict):
        user = User.model_validate(user)
    return UserPublic(id=user.id, **user.model_dump(include=set(UserPublic.model_fields) - {"id"}))


def insert_user(email: str, password: str, name: str, role: Role | str, *, password_hash: str | None = None,
                **extra) -> User:
    """Create an account; the email's unique index decides races between two sign-ups.
    `password_hash`, when given, is `password` already hashed by the caller (many accounts sharing
    one password, as the demo's do, pay the deliberately slow hash once)."""
    email = security.normalize_email(email)
    security.check_password_policy(password)
    user = User(_id=uuid.uuid4().hex, email=email, password_hash=password_hash or security.hash_password(password),
                name=name.strip(), role=role, **extra)
    try:
        _users().insert_one(user.to_mongo())
    except DuplicateKeyError:
        raise Conflict("An account with this email already exists.", field="email", code="email_taken")
    return user


def register(data: UserRegister | dict, client_address: str | None = None, entry_point: str = "web") -> UserPublic:
    # Registration tells whether an email is taken: limited per address, counted before anything.
    throttle.registration(client_address)
    data = parse(UserRegister, data)
    user = insert_user(data.email, data.password, data.name, Role.traveler,
                       phone=data.phone.strip(), tax_id=data.tax_id.strip(), address=data.address.strip())
    actor = Actor(user.id, user.email, user.role, user.name, entry_point, client_address)
    outbox.publish(Registered(user_id=user.id, role=str(getattr(user.role, "value", user.role))), actor)
    return public(user)


def login(data: LoginRequest | dict, client_address: str | None = None, entry_point: str = "web") -> TokenResponse:
    data = parse(LoginRequest, data)
    email = security.canonical_email(data.email)
    throttle.begin_attempt(email, client_address)
    doc = _users().find_one({"email": email})
    if doc is None:
        security.burn_verify_time(data.password)
    if doc is None or not security.verify_password(data.password, doc["password_hash"]):
        throttle.attempt_failed(email, client_address)
        outbox.publish(SignInFailed(email=email), None, entry_point=entry_point, client_address=client_address)
        raise NotAuthenticated(_GENERIC_FAILURE, code="invalid_credentials")
    throttle.attempt_succeeded(email, client_address)
    if not doc.get("disabled"):
        # Admins see when each account last signed in (a stale staff account is worth a look).
        _users().update_one({"_id": doc["_id"]}, {"$set": {"last_sign_in_at": datetime.now(timezone.utc)}})
    if doc.get("disabled"):
        # Said only to someone who proved the password: it tells a stranger nothing.
        outbox.publish(SignInRefused(user_id=doc["_id"], reason="account_disabled"), None, entry_point=entry_point,
                       client_address=client_address)
        raise Forbidden("This account is disabled. Contact AstroBookings support to have it enabled again.",
                        code="account_disabled")
    settings = get_settings()
    token, _jti, expires = security.issue_token(doc["_id"], doc["role"], settings.jwt_secret, settings.jwt_ttl_minutes)
    actor = Actor(doc["_id"], email, doc["role"], doc["name"], entry_point, client_address)
    outbox.publish(SignedIn(user_id=doc["_id"], role=doc["role"]), actor)
    return TokenResponse(access_token=token, role=doc["role"], expires_at=expires)


def resolve_actor(token: str | None, secret: str | list[str], is_revoked: Callable[[str], bool],
                  load_account: Callable[[str], dict | None], entry_point: str = "web",
                  client_address: str | None = None) -> Actor:
    """Pure rule: who a token belongs to, given how to look up revocations and accounts.

    Refuses missing, expired, tampered and revoked tokens, and disabled or deleted accounts.
    The role comes from the account, not the token, so a role change takes effect at once.
    """
    if not token:
        raise NotAuthenticated()
    claims = security.decode_token(token, secret)
    if is_revoked(claims["jti"]):
        raise NotAuthenticated("You have signed out. Sign in again.")
    account = load_account(claims["sub"])
    if account is None or account.get("disabled"):
        raise NotAuthenticated("This account is disabled.")
    return Actor(account["_id"], account["email"], account["role"], account.get("name", ""),
                 entry_point, client_address, claims["jti"])


# Revocation answers are kept in Redis so that most requests skip one MongoDB lookup. Signing
# out writes "revoked" there at once, so it still takes effect on every worker immediately; a
# "not revoked" answer never overwrites it (nx) and expires soon, in case Redis lost a sign-out.
_TOKEN_OK_TTL = 60


def _is_revoked(jti: str) -> bool:
    k = key("auth", "revoked", jti)
    try:
        cached = get_redis().get(k)
    except Exception:
        cached = None
    if cached is not None:
        return cached == "1"
    try:
        revoked = system_db()[RevokedToken.collection].find_one({"_id": jti}, projection={"_id": 1}) is not None
    except Exception as exc:
        if store_of(exc) != "mongodb":
            raise
        # MongoDB is down: a sign-out also wrote "revoked" to Redis for the token's whole life,
        # so a token not found there is taken as valid until MongoDB answers again.
        return False
    try:
        get_redis().set(k, "1" if revoked else "0", ex=_TOKEN_OK_TTL, nx=True)
    except Exception:
        pass
    return revoked


def _load_account(user_id: str) -> dict | None:
    """The account fields every request needs, cached in Redis. Every change to an account goes
    through forget_account(), so disabling it or changing its role still applies at once.

    While MongoDB is down, the account as last read (kept ACCOUNT_FALLBACK_SECONDS in Redis, and
    in this process) stands in for it, else its copy in PostgreSQL (refreshed after every sign-in
    and change): booking, cancelling and My bookings need PostgreSQL only."""
    k = key("auth", "account", user_id)
    try:
        cached = get_redis().get(k)
        if cached is not None:
            return json.loads(cached)
    except Exception:
        pass
    try:
        doc = _users().find_one({"_id": user_id}, projection={"email": 1, "role": 1, "name": 1, "disabled": 1})
    except Exception as exc:
        if store_of(exc) != "mongodb":
            raise
        if (known := _last_known(user_id) or _copied(user_id)) is None:
            raise
        return known
    if doc is not None:
        _remember(user_id, doc)
    return doc


def _remember(user_id: str, doc: dict) -> None:
    keep = get_settings().account_fallback_seconds
    if keep:
        # This process's copy is kept briefly: another process may have changed the account.
        _known_here[user_id] = (time.monotonic() + min(keep, _TOKEN_OK_TTL), doc)
        if len(_known_here) > 50_000:
            _known_here.pop(next(iter(_known_here)))
    try:
        pipe = get_redis().pipeline(transaction=False).set(key("auth", "account", user_id), json.dumps(doc),
                                                           ex=_TOKEN_OK_TTL)
        if keep:
            pipe.set(key("auth", "account-known", user_id), json.dumps(doc), ex=keep)
        pipe.execute()
    except Exception:
        pass


def _last_known(user_id: str) -> dict | None:
    try:
        raw = get_redis().get(key("auth", "account-known", user_id))
        # Redis answered: its word stands (forget_account deleted the copy of a changed account).
        return json.loads(raw) if raw is not None else None
    except Exception:
        pass
    until, doc = _known_here.get(user_id, (0.0, None))
    return doc if until > time.monotonic() else None


def _copied(user_id: str) -> dict | None:
    try:
        return copies.copy_of(user_id)
    except Exception as exc:
        if store_of(exc) is None:
            raise
        return None  # PostgreSQL is out of reach too: the MongoDB outage is the answer


# The accounts this process read last, for when MongoDB and Redis are both out of reach.
_known_here: dict[str, tuple[float, dict]] = {}


def forget_account(user_id: str) -> None:
    _known_here.pop(user_id, None)
    get_redis().delete(key("auth", "account", user_id), key("auth", "account-known", user_id))


def authenticate(token: str | None, entry_point: str = "web", client_address: str | None = None) -> Actor:
    """The acting user for a bearer token, checked against the account store."""
    return resolve_actor(token, get_settings().verification_secrets, _is_revoked, _load_account, entry_point, client_address)


def logout(token: str | None, entry_point: str = "web", client_address: str | None = None) -> None:
    actor = authenticate(token, entry_point, client_address)
    claims = security.decode_token(token, get_settings().verification_secrets)
    expires = datetime.fromtimestamp(claims["exp"], timezone.utc)
    system_db()[RevokedToken.collection].update_one(
        {"_id": claims["jti"]}, {"$set": {"expires_at": expires}}, upsert=True)
    try:
        remaining = max(int((expires - datetime.now(timezone.utc)).total_seconds()), 1)
        get_redis().set(key("auth", "revoked", claims["jti"]), "1", ex=remaining)
    except Exception:
        pass  # MongoDB holds the revocation; a cached "not revoked" expires within a minute.
    outbox.publish(SignedOut(user_id=actor.user_id), actor)


def me(actor: Actor) -> UserPublic:
    doc = _users().find_one({"_id": actor.user_id})
    if doc is None:
        raise NotAuthenticated()
    return public(doc)


def update_profile(actor: Actor, data: ProfileUpdate | dict) -> UserPublic:
    data = parse(ProfileUpdate, data)
    changes = {k: v.strip() for k, v in data.model_dump().items()}
    _users().update_one({"_id": actor.user_id}, {"$set": {**changes, "updated_at": datetime.now(timezone.utc)}})
    forget_account(actor.user_id)
    outbox.publish(ProfileUpdated(user_id=actor.user_id, fields=sorted(changes)), actor)
    return me(actor)
