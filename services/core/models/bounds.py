"""Bounds every input field is held to at the edge, so bad input is a 422 naming the field and
never a 500 from a store: ids and amounts within their 32-bit columns, dates within the years a
launch or a traveler can have (an offset on year 9999 overflowed when turned into UTC), and text
without control characters (PostgreSQL refuses NUL; lone surrogates cannot be encoded at all).

Pure validators, no I/O: the input models attach them, and the REST API and the web states read
the same models.
"""
import unicodedata
from datetime import date, datetime, timezone

INT32_MAX = 2**31 - 1
# Large enough for any real list; (page - 1) * per_page stays far inside a 64-bit offset.
MAX_PAGE = 10_000
LAUNCH_YEARS = (2000, 2199)
BIRTH_YEARS = (1900, 2199)
MAX_ID_TEXT = 200


def plain_text(value):
    """Refuses control characters (NUL, tab, newline ...), lone surrogates and the line and
    paragraph separators in a single-line text field."""
    if isinstance(value, str):
        for ch in value:
            if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
                raise ValueError("must not contain control characters")
    return value


def _in_years(moment_year: int, years: tuple[int, int]) -> None:
    if not years[0] <= moment_year <= years[1]:
        raise ValueError(f"must be between the years {years[0]} and {years[1]}")


def launch_moment(value):
    """A launch date and time: in UTC from here on, between LAUNCH_YEARS."""
    if isinstance(value, datetime):
        try:
            value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        except (OverflowError, ValueError):
            raise ValueError(f"must be between the years {LAUNCH_YEARS[0]} and {LAUNCH_YEARS[1]}")
        _in_years(value.year, LAUNCH_YEARS)
    return value


def launch_day(value):
    """A calendar day of the launch search window."""
    if isinstance(value, date):
        _in_years(value.year, LAUNCH_YEARS)
    return value


def birth_day(value):
    if isinstance(value, date):
        _in_years(value.year, BIRTH_YEARS)
    return value
