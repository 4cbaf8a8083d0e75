"""Presentation helpers shared by the agency page states: money, dates and launch rows as text."""
from datetime import datetime
from decimal import Decimal, InvalidOperation

from astrobookings.models.launch import LaunchPublic
from services.errors import ValidationFailed
from services.launch_rules import as_utc

STATUS_COLORS = {"scheduled": "blue", "delayed": "amber", "aborted": "red", "launched": "green", "failed": "gray"}


def usd(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}${whole:,}.{rest:02d}"


def cents_from_usd(text: str, field: str = "price") -> int:
    """"249,999.50" -> 24999950. Exact (Decimal), never through a float."""
    try:
        amount = Decimal((text or "").replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed("Price must be an amount in USD, like 250000 or 249999.99.", field=field)
    return int(amount * 100)


def when(moment: datetime | None) -> str:
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def launch_row(launch: LaunchPublic) -> dict[str, str]:
    status = launch.status.value if hasattr(launch.status, "value") else str(launch.status)
    return {
        "id": str(launch.id), "slug": launch.slug, "href": f"/agency/launches/{launch.id}", "date": when(launch.date),
        "rocket": launch.rocket_name, "spaceport": launch.spaceport_name, "destination": launch.destination_name,
        "status": status, "color": STATUS_COLORS.get(status, "gray"), "price": usd(launch.price_cents),
        "seats": f"{launch.seats_sold} / {launch.seats_offered}",
    }
