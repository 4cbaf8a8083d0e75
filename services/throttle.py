"""Sign-in throttling in Redis: failures per account and per client address within a window."""
from astrobookings.cache import get_redis, key
from astrobookings.settings import get_settings
from services.errors import TooManyRequests

_MESSAGE = "Too many failed sign-in attempts. Try again in {minutes} minute(s)."


def _keys(email: str, client: str | None) -> list[tuple[str, int]]:
    s = get_settings()
    pairs = [(key("login-fail", "acct", email), s.login_max_failures_per_account)]
    if client:
        pairs.append((key("login-fail", "ip", client), s.login_max_failures_per_ip))
    return pairs


def check(email: str, client: str | None) -> None:
    r = get_redis()
    for k, limit in _keys(email, client):
        count = r.get(k)
        if count is not None and int(count) >= limit:
            retry = max(r.ttl(k), 1)
            raise TooManyRequests(_MESSAGE.format(minutes=(retry + 59) // 60), retry_after=retry)


def record_failure(email: str, client: str | None) -> None:
    window = get_settings().login_window_seconds
    pipe = get_redis().pipeline()
    for k, _ in _keys(email, client):
        # SET NX starts the window with the first failure; INCR keeps its TTL (works on Redis 6 too).
        pipe.set(k, 0, ex=window, nx=True)
        pipe.incr(k)
    pipe.execute()


def clear_account(email: str) -> None:
    get_redis().delete(key("login-fail", "acct", email))
