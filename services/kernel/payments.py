"""Payment gateway adapter. The sandbox behaves like real gateways' test modes: outcome by card.

Every call carries an idempotency key (one per booking for its charge, one per refund row for a
refund): repeating a call with the same key repeats its answer and never moves money twice, as
real gateways do. `find_charge` asks whether a charge was made under a key, which is how a hold
whose confirmation never came (the process died after the charge) is settled.

Finance reuses the same interface for invoices; a real gateway is one more class with `charge`,
`refund` and `find_charge`, picked by PAYMENT_GATEWAY.
"""
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Protocol

import redis

from services.core.cache import get_redis, key
from services.core.settings import get_settings
from services.kernel.errors import PaymentDeclined, ValidationFailed

APPROVE_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"
CARD_FIELD = "payment.card_number"
_KEEP_SECONDS = 7 * 24 * 3600  # how long the sandbox remembers an idempotency key
# What the sandbox did while Redis was down (this process only).
_local_memory: dict[str, dict] = {}
_local_ledger: list[str] = []
_local_lock = threading.Lock()


@dataclass(frozen=True)
class Receipt:
    reference: str
    amount_cents: int


class GatewayUnavailable(Exception):
    """The gateway did not answer or failed: the outcome is unknown, try again with the same key."""


class PaymentGateway(Protocol):
    def charge(self, card_number: str, amount_cents: int, description: str, idempotency_key: str) -> Receipt: ...

    def refund(self, charge_reference: str, amount_cents: int, idempotency_key: str) -> Receipt: ...

    def find_charge(self, idempotency_key: str) -> Receipt | None: ...


def card_digits(card_number: str) -> str:
    return "".join(ch for ch in (card_number or "") if ch.isdigit())


def check_card(card_number: str) -> None:
    """The card number's shape (length, Luhn check digit), before any seat is held for it."""
    card = card_digits(card_number)
    if len(card) < 12 or len(card) > 19 or not _luhn_ok(card):
        raise ValidationFailed("Card number is not valid.", field=CARD_FIELD)


def _luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


# --- sandbox faults: tests and benchmarks play a slow or failing gateway -------------------

@dataclass
class SandboxFaults:
    latency_ms: int | None = None          # overrides PAYMENT_GATEWAY_LATENCY_MS in this process
    fail_refund_calls: frozenset[int] = frozenset()  # the Nth refund call (from when set) fails
    # The Nth charge call charges the card, then its answer is lost (the outcome is unknown to us).
    lose_charge_answers: frozenset[int] = frozenset()
    before_charge: Callable[[], None] | None = None
    after_charge: Callable[[Receipt], None] | None = None
    refund_calls: int = 0
    charge_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_refund_fails(self) -> bool:
        with self.lock:
            self.refund_calls += 1
            return self.refund_calls in self.fail_refund_calls

    def next_charge_answer_lost(self) -> bool:
        with self.lock:
            self.charge_calls += 1
            return self.charge_calls in self.lose_charge_answers


_faults = SandboxFaults()

_REMEMBER = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  if ARGV[3] ~= '' then
    redis.call('rpush', KEYS[2], ARGV[3])
    redis.call('ltrim', KEYS[2], -100000, -1)
  end
  return ARGV[1]
end
return redis.call('get', KEYS[1])
"""


@contextmanager
def sandbox_faults(*, latency_ms: int | None = None, fail_refund_calls: tuple[int, ...] = (),
                   lose_charge_answers: tuple[int, ...] = (), before_charge: Callable[[], None] | None = None,
                   after_charge: Callable[[Receipt], None] | None = None) -> Iterator[SandboxFaults]:
    """In this process, for the block: the sandbox takes `latency_ms` per call, fails the refund
    calls numbered in `fail_refund_calls` (1 = the first refund call made inside the block),
    charges but loses the answer of the charge calls numbered in `lose_charge_answers`, and runs
    the hooks around each charge (a hook that raises plays a process dying at that point)."""
    global _faults
    previous = _faults
    _faults = SandboxFaults(latency_ms, frozenset(fail_refund_calls), frozenset(lose_charge_answers),
                            before_charge, after_charge)
    try:
        yield _faults
    finally:
        _faults = previous


class SandboxGateway:
    """4242 4242 4242 4242 approves, 4000 0000 0000 0002 declines, other valid numbers decline.

    It keeps what it did under each idempotency key in Redis (so another process, say the one
    settling a crashed booking, sees it) and a ledger of every movement of money, which tests read.
    A real gateway does not depend on our Redis: while Redis is down the sandbox keeps both in this
    process instead, so bookings still need PostgreSQL only.
    """

    def _latency(self) -> None:
        ms = _faults.latency_ms if _faults.latency_ms is not None else get_settings().payment_gateway_latency_ms
        if ms > 0:
            time.sleep(ms / 1000)

    def _remembered(self, idempotency_key: str) -> dict | None:
        try:
            raw = get_redis().get(key("sandbox-gateway", "key", idempotency_key))
        except redis.RedisError:
            return _local_memory.get(idempotency_key)
        return json.loads(raw) if raw else _local_memory.get(idempotency_key)

    def _remember(self, idempotency_key: str, outcome: dict) -> dict:
        """Keep the first outcome under the key (and enter a movement of money in the ledger),
        in one round trip; a racing call with the same key gets the outcome kept first."""
        entry = "" if outcome["kind"] == "declined" else json.dumps(
            {**outcome, "key": idempotency_key, "at": datetime.now(timezone.utc).isoformat()})
        try:
            kept = get_redis().eval(_REMEMBER, 2, key("sandbox-gateway", "key", idempotency_key),
                                    key("sandbox-gateway", "ledger"), json.dumps(outcome), _KEEP_SECONDS, entry)
        except redis.RedisError:
            with _local_lock:
                if idempotency_key not in _local_memory:
                    _local_memory[idempotency_key] = outcome
                    if entry:
                        _local_ledger.append(entry)
                return _local_memory[idempotency_key]
        return json.loads(kept)

    def charge(self, card_number: str, amount_cents: int, description: str, idempotency_key: str) -> Receipt:
        check_card(card_number)
        if _faults.before_charge:
            _faults.before_charge()
        # Like a real gateway, a repeated key takes the gateway's time too, then gets the first answer.
        self._latency()
        approved = card_digits(card_number) == APPROVE_CARD
        outcome = self._remember(idempotency_key, {
            "kind": "charge" if approved else "declined", "amount_cents": amount_cents,
            "reference": f"ch_sandbox_{uuid.uuid4().hex[:16]}" if approved else None})
        if _faults.next_charge_answer_lost():
            raise GatewayUnavailable("sandbox gateway: the charge's answer was lost (test fault)")
        if outcome["kind"] == "declined":
            raise PaymentDeclined("Your card was declined. No seat was taken and nothing was charged.", field=CARD_FIELD)
        receipt = Receipt(outcome["reference"], outcome["amount_cents"])
        if _faults.after_charge:
            _faults.after_charge(receipt)
        return receipt

    def refund(self, charge_reference: str, amount_cents: int, idempotency_key: str) -> Receipt:
        outcome = self._remembered(idempotency_key)
        if outcome is None:
            self._latency()
            if _faults.next_refund_fails():
                raise GatewayUnavailable("sandbox gateway: refund failed (test fault)")
            outcome = self._remember(idempotency_key, {
                "kind": "refund", "amount_cents": amount_cents, "charge": charge_reference,
                "reference": f"re_sandbox_{uuid.uuid4().hex[:16]}"})
        return Receipt(outcome["reference"], outcome["amount_cents"])

    def find_charge(self, idempotency_key: str) -> Receipt | None:
        outcome = self._remembered(idempotency_key)
        if outcome is None or outcome["kind"] != "charge":
            return None
        return Receipt(outcome["reference"], outcome["amount_cents"])


def sandbox_ledger() -> list[dict]:
    """Every charge and refund the sandbox made (tests count them: money moves exactly once)."""
    return [json.loads(x) for x in get_redis().lrange(key("sandbox-gateway", "ledger"), 0, -1) + _local_ledger]


def gateway() -> PaymentGateway:
    name = get_settings().payment_gateway
    if name == "sandbox":
        return SandboxGateway()
    raise RuntimeError(f"Unknown PAYMENT_GATEWAY {name!r}")
