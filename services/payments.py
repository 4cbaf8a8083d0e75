"""Payment gateway adapter. The sandbox behaves like real gateways' test modes: outcome by card.

Finance reuses the same interface for invoices; a real gateway is one more class with `charge`
and `refund`, picked by PAYMENT_GATEWAY.
"""
import uuid
from dataclasses import dataclass
from typing import Protocol

from astrobookings.settings import get_settings
from services.errors import PaymentDeclined, ValidationFailed

APPROVE_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"


@dataclass(frozen=True)
class Receipt:
    reference: str
    amount_cents: int


class PaymentGateway(Protocol):
    def charge(self, card_number: str, amount_cents: int, description: str) -> Receipt: ...

    def refund(self, charge_reference: str, amount_cents: int) -> Receipt: ...


def _luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


class SandboxGateway:
    """4242 4242 4242 4242 approves, 4000 0000 0000 0002 declines, anything else is refused."""

    def charge(self, card_number: str, amount_cents: int, description: str) -> Receipt:
        card = "".join(ch for ch in (card_number or "") if ch.isdigit())
        if len(card) < 12 or not _luhn_ok(card):
            raise ValidationFailed("Card number is not valid.", field="payment.card_number")
        if card != APPROVE_CARD:
            raise PaymentDeclined("Your card was declined. No seat was taken and nothing was charged.",
                                  field="payment.card_number")
        return Receipt(f"ch_sandbox_{uuid.uuid4().hex[:16]}", amount_cents)

    def refund(self, charge_reference: str, amount_cents: int) -> Receipt:
        return Receipt(f"re_sandbox_{uuid.uuid4().hex[:16]}", amount_cents)


def gateway() -> PaymentGateway:
    name = get_settings().payment_gateway
    if name == "sandbox":
        return SandboxGateway()
    raise RuntimeError(f"Unknown PAYMENT_GATEWAY {name!r}")
