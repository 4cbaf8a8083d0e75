"""Amounts typed into forms, read exactly: dollars in, integer cents out."""
from decimal import Decimal, InvalidOperation

from services.kernel.errors import ValidationFailed


def cents_from_usd(text: str, field: str = "price", label: str = "Price") -> int:
    """"249,999.50" -> 24999950. Exact (Decimal), never through a float."""
    try:
        amount = Decimal((text or "").replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        amount = None
    # adjusted() first: "1e999999999" would otherwise build a number with a billion digits.
    if amount is None or not amount.is_finite() or amount.adjusted() > 12 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(f"{label} must be an amount in USD, like 250000 or 249999.99.", field=field)
    return int(amount * 100)
