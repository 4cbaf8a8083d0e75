"""How the product writes money, dates and launch statuses, everywhere: pages, emails, crawler
HTML and refusal messages. One source of truth, so a status is the same word and colour on
every page and a dollar amount is written one way. Pure functions, no I/O."""
import json
from datetime import datetime, timezone

# Radix colour scales (the web UI's colour_scheme names) for each launch status.
STATUS_COLORS = {"scheduled": "blue", "delayed": "amber", "aborted": "red", "launched": "green", "failed": "gray"}
INVOICE_STATUS_COLORS = {"pending": "blue", "partially_paid": "amber", "paid": "green", "overdue": "red",
                         "cancelled": "gray"}
INVOICE_STATUS_WORDS = {"pending": "Pending", "partially_paid": "Partially paid", "paid": "Paid", "overdue": "Overdue",
                        "cancelled": "Cancelled"}
INVOICE_KIND_WORDS = {"launch_fee": "Launch fee", "abort_fee": "Abort fee", "cancellation": "Cancellation"}
STATUS_WORDS = {"scheduled": "Scheduled", "delayed": "Delayed", "aborted": "Aborted",
                "launched": "Launched successfully", "failed": "Failed"}


# What people call the fields and codes the API spells in snake case: forms, refusals and tables
# use these words, never `price_cents` or `low_earth_orbit`.
FIELD_WORDS = {
    "price_cents": "Price per seat", "max_price_cents": "Maximum price", "max_price": "Maximum price",
    "rocket_id": "Rocket", "launch_id": "Launch", "birth_date": "Birth date", "card_number": "Card number",
    "tax_id": "Tax id", "legal_address": "Legal address", "contact_email": "Contact email",
    "contact_phone": "Contact phone", "seats_needed": "Seats needed",
    "range": "Range", "spaceport": "Spaceport", "destination": "Destination", "date": "Date",
    "date_from": "From", "date_to": "To", "email": "Email", "password": "Password", "name": "Name",
    "phone": "Phone", "address": "Address", "role": "Role", "reason": "Reason", "sort": "Sort",
}
RANGE_WORDS = {"suborbital": "Suborbital", "low_earth_orbit": "Low Earth orbit", "interplanetary": "Interplanetary"}


def field_word(name: str | None) -> str:
    """"passengers.1.birth_date" -> "Birth date"; unknown names read as words ("seats_free" -> "Seats free")."""
    last = str(name or "value").split(".")[-1]
    return FIELD_WORDS.get(last, last.replace("_", " ").capitalize())


def range_word(code) -> str:
    value = status_value(code)
    return RANGE_WORDS.get(value, value.replace("_", " ").capitalize())


def plural(count: int, word: str, many: str | None = None) -> str:
    """1 -> "1 booking", 2 -> "2 bookings"; `many` for irregular words ("1 person", "3 people")."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def usd(cents: int) -> str:
    """24999950 -> "$249,999.50"; negative amounts (credits) as "-$12.00"."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}${whole:,}.{rest:02d}"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def when(moment: datetime | None) -> str:
    """Compact, sortable, for tables: "2027-03-14 09:30 UTC"."""
    return _utc(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def iso_utc(moment: datetime | None) -> str:
    """The moment for a browser to show in its own time zone (ISO 8601, with its UTC offset)."""
    return _utc(moment).isoformat() if moment else ""


def human_date(moment: datetime | None) -> str:
    """For sentences and cards: "14 March 2027, 09:30 UTC"."""
    return _utc(moment).strftime("%-d %B %Y, %H:%M UTC") if moment else ""


def status_value(status) -> str:
    return str(getattr(status, "value", status))


def status_word(status) -> str:
    return STATUS_WORDS.get(status_value(status), status_value(status).replace("_", " ").capitalize())


def status_color(status) -> str:
    return STATUS_COLORS.get(status_value(status), "gray")


# JSON inside an HTML <script>: the HTML parser ends the script at "</script", reads "<!--" as the
# start of an escaped comment that swallows the rest of the page, and old JavaScript engines end a
# string at U+2028/U+2029. The \u escapes read back as the same characters in JSON.
_HTML_SAFE_JSON = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_html(data) -> str:
    """JSON text safe to embed in any HTML <script> element, whatever the strings inside hold."""
    return json.dumps(data, ensure_ascii=False).translate(_HTML_SAFE_JSON)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell a spreadsheet shows as text: a leading quote disarms formulas."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


JOB_STATUS_COLORS = {"queued": "gray", "running": "blue", "done": "green", "failed": "red", "cancelled": "amber"}


def job_status_color(status) -> str:
    return JOB_STATUS_COLORS.get(status_value(status), "gray")


def age(seconds: float | None) -> str:
    """How long ago or how long, for operators: "45 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    if seconds is None:
        return ""
    seconds = max(int(seconds), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return f"{minutes} min"
    if hours < 24:
        return f"{hours} h {minutes % 60} min"
    return f"{days} d {hours % 24} h"


def updated_ago(seconds: float | None) -> str:
    """What a visitor reads over a last known copy of the catalog: "Updated 45 s ago"; "" when fresh."""
    return "" if seconds is None else f"Updated {age(seconds)} ago"
