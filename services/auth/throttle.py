"""Sign-in and sign-up throttling in Redis, counted first and decided on the counted value.

Per account: the first LOGIN_MAX_FAILURES_PER_ACCOUNT failures in a (sliding) window are free;
from then on each attempt must wait a delay that doubles with every further failure (2 s, 4 s,
8 s ... capped at LOGIN_MAX_DELAY_SECONDS). Guessing slows to one try per delay, and nobody can
lock an account out for longer than that cap (a hard lockout let anyone lock out anyone).
Per client address: at most LOGIN_MAX_FAILURES_PER_IP failed attempts per window, whatever the
accounts. Registration (which tells whether an email is taken) is limited per address too.

Each attempt is counted in one Lua script before its password is checked, and the script decides
on the value it counted: twenty wrong passwords fired at once cannot all slip under the limit.

While Redis is down, sign-in keeps working with the same rules counted in this process (under a
lock), at half the limits: several processes each counting their own share must not add up to
more than the configured limit's worth, and nothing ever goes unlimited.
"""
import math
import threading
import time

import redis

from services.core.cache import get_redis, key
from services.core.settings import get_settings
from services.kernel.errors import TooManyRequests

_BASE_DELAY_MS = 2000

# KEYS: account failures, account "not before" (ms), address failures.
# ARGV: now ms, free failures, base delay ms, max delay ms, window s, address limit.
# Returns {1, n} when the attempt may be checked, {0, wait ms, reason} when refused.
_ATTEMPT = """
local now, free, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local window, address_limit = tonumber(ARGV[5]), tonumber(ARGV[6])
local not_before = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < not_before then return {0, not_before - now, 'account'} end
local from_address = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], window)
if from_address > address_limit then
  redis.call('DECR', KEYS[3])
  return {0, redis.call('TTL', KEYS[3]) * 1000, 'address'}
end
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], window)
if n >= free then
  local delay = math.floor(math.min(base * 2 ^ (n - free), cap))
  redis.call('SET', KEYS[2], now + delay, 'PX', delay)
end
return {1, n}
"""

# The attempt's password was right: forget the account's failures, and give its address back the
# attempt it counted (only failures count against an address).
_SUCCEEDED = """
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('EXISTS', KEYS[3]) == 1 and tonumber(redis.call('GET', KEYS[3])) > 0 then
  redis.call('DECR', KEYS[3])
end
return 1
"""

# The attempt failed: its delay starts now, when the caller learns the answer, not when it began.
_FAILED = """
local now, free, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= free then
  local delay = math.floor(math.min(base * 2 ^ (n - free), cap))
  local not_before = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now + delay)
  redis.call('SET', KEYS[2], not_before, 'PX', not_before - now)
end
return n
"""

# KEYS: registrations from the address. ARGV: window s, limit. Returns {allowed, ttl s}.
_REGISTRATION = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
if n > tonumber(ARGV[2]) then return {0, redis.call('TTL', KEYS[1])} end
return {1, n}
"""


def _keys(email: str, client: str | None) -> list[str]:
    return [key("login-fail", "acct", email), key("login-fail", "wait", email),
            key("login-fail", "ip", client or "unknown")]


def _now_ms() -> int:
    return int(time.time() * 1000)


def _args() -> list[int]:
    s = get_settings()
    return [_now_ms(), s.login_max_failures_per_account, _BASE_DELAY_MS, s.login_max_delay_seconds * 1000,
            s.login_window_seconds, s.login_max_failures_per_ip]


def _refuse(wait_ms: int, who: str) -> TooManyRequests:
    seconds = max(math.ceil(wait_ms / 1000), 1)
    when = f"{seconds} second(s)" if seconds < 120 else f"{math.ceil(seconds / 60)} minute(s)"
    source = "for this account" if who == "account" else "from your network"
    return TooManyRequests(f"Too many failed sign-in attempts {source}. Try again in {when}.", retry_after=seconds)


def begin_attempt(email: str, client: str | None) -> None:
    """Count this sign-in attempt, or refuse it (429) while its account or address must wait."""
    try:
        allowed, value, *who = get_redis().eval(_ATTEMPT, 3, *_keys(email, client), *_args())
    except redis.RedisError:
        allowed, value, *who = _local.attempt(_keys(email, client), _local_args())
    if not allowed:
        raise _refuse(int(value), (who or ["account"])[0])


def attempt_failed(email: str, client: str | None) -> None:
    try:
        get_redis().eval(_FAILED, 2, *_keys(email, client)[:2], *_args()[:4])
    except redis.RedisError:
        _local.failed(_keys(email, client), _local_args())


def attempt_succeeded(email: str, client: str | None) -> None:
    try:
        get_redis().eval(_SUCCEEDED, 3, *_keys(email, client))
    except redis.RedisError:
        _local.succeeded(_keys(email, client))


def registration(client: str | None) -> None:
    """Count one registration attempt from this address; refuse past the limit (429)."""
    s = get_settings()
    k = key("register", "ip", client or "unknown")
    try:
        allowed, value = get_redis().eval(_REGISTRATION, 1, k, s.register_window_seconds, s.register_max_per_ip)
    except redis.RedisError:
        allowed, value = _local.registration(k, s.register_window_seconds, max(s.register_max_per_ip // 2, 1))
    if not allowed:
        retry = max(int(value), 1)
        raise TooManyRequests(f"Too many sign-ups from your network. Try again in {math.ceil(retry / 60)} minute(s).",
                              retry_after=retry)


def _local_args() -> list[int]:
    """The same rules at half the limits (see the module's docstring)."""
    now, free, base, cap, window, per_address = _args()
    return [now, max(free // 2, 1), base, cap, window, max(per_address // 2, 1)]


class _LocalCounters:
    """The Lua scripts' rules in this process, for while Redis is down: counts with expiry times."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, tuple[int, float]] = {}  # key -> (value, expires at, monotonic s)

    def _get(self, k: str) -> int:
        value, until = self._values.get(k, (0, 0.0))
        return value if until > time.monotonic() else 0

    def _set(self, k: str, value: int, ttl_s: float) -> None:
        self._values[k] = (value, time.monotonic() + ttl_s)
        if len(self._values) > 100_000:  # forget the expired ones now and then
            now = time.monotonic()
            self._values = {x: v for x, v in self._values.items() if v[1] > now}

    def _ttl(self, k: str) -> float:
        return max(self._values.get(k, (0, 0.0))[1] - time.monotonic(), 0.0)

    def attempt(self, keys: list[str], args: list[int]) -> list:
        account, wait, address = keys
        now, free, base, cap, window, address_limit = args
        with self._lock:
            not_before = self._get(wait)
            if now < not_before:
                return [0, not_before - now, "account"]
            if self._get(address) + 1 > address_limit:
                return [0, int(self._ttl(address) * 1000), "address"]
            self._set(address, self._get(address) + 1, window)
            n = self._get(account) + 1
            self._set(account, n, window)
            if n >= free:
                delay = math.floor(min(base * 2 ** (n - free), cap))
                self._set(wait, now + delay, delay / 1000)
            return [1, n]

    def failed(self, keys: list[str], args: list[int]) -> None:
        account, wait, _address = keys
        now, free, base, cap = args[:4]
        with self._lock:
            n = self._get(account)
            if n >= free:
                delay = math.floor(min(base * 2 ** (n - free), cap))
                not_before = max(self._get(wait), now + delay)
                self._set(wait, not_before, (not_before - now) / 1000)

    def succeeded(self, keys: list[str]) -> None:
        account, wait, address = keys
        with self._lock:
            self._values.pop(account, None)
            self._values.pop(wait, None)
            if self._get(address) > 0:
                self._set(address, self._get(address) - 1, self._ttl(address))

    def registration(self, k: str, window: int, limit: int) -> tuple[int, int]:
        with self._lock:
            n = self._get(k) + 1
            self._set(k, n, self._ttl(k) if n > 1 else window)
            return (0, max(int(self._ttl(k)), 1)) if n > limit else (1, n)


_local = _LocalCounters()
