"""Values that reach page states from the address bar or from event payloads a client can forge."""
from services.core.models.bounds import INT32_MAX


def parse_id(text: str | int | None) -> int:
    """A row id from text: a whole number from 1 to 2147483647, or 0 (which matches nothing)."""
    text = str(text if text is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return 0
    value = int(text)
    return value if 1 <= value <= INT32_MAX else 0
