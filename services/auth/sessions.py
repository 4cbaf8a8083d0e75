"""Browser sessions: the signed session token travels only in an HttpOnly cookie set by the
server, so no page script can read it. The page state that signs a person in never hands the
token to the page: it hands over a one-time code (Redis, 60 s, single use), which the page posts
to POST /api/auth/session; that answer sets the cookie. The websocket then reads the cookie from
its own handshake."""
import secrets

from services.core.cache import get_redis, key
from services.core.settings import get_settings

HANDOFF_SECONDS = 60
COOKIE = "ab_session"
# With Secure, the __Host- prefix also binds the cookie to this exact host and path (no Domain).
SECURE_COOKIE = "__Host-ab_session"


def cookie_name() -> str:
    return SECURE_COOKIE if get_settings().cookie_secure else COOKIE


def hand_off(token: str) -> str:
    """A one-time code standing for `token` for HANDOFF_SECONDS."""
    code = secrets.token_urlsafe(32)
    get_redis().set(key("session-handoff", code), token, ex=HANDOFF_SECONDS)
    return code


def redeem(code: str) -> str | None:
    """The token a code stands for, once: a second redemption (or a late one) gets None."""
    if not code or len(code) > 100 or not code.replace("-", "").replace("_", "").isalnum():
        return None
    return get_redis().getdel(key("session-handoff", code))


def token_from_cookies(cookie_header: str | None) -> str | None:
    """The session token in a Cookie header (the websocket handshake's), if any."""
    wanted = cookie_name()
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == wanted and value:
            return value.strip('"')
    return None
