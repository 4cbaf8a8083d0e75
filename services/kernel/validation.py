"""Turn pydantic validation errors into one DomainError naming the field and the rule."""
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.core.formatting import field_word, usd
from services.kernel.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)

_FRIENDLY = {
    "string_too_short": "must be at least {min_length} characters",
    "string_too_long": "must be at most {max_length} characters",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "datetime_from_date_parsing": "must be a date and time (ISO 8601)",
}


def describe(error: dict) -> tuple[str, str]:
    loc = list(error.get("loc", ()))
    if loc and loc[0] in ("body", "path", "query", "header", "cookie"):
        loc = loc[1:]  # the field as the caller spells it, wherever it was sent
    field = ".".join(str(p) for p in loc) or None
    template = _FRIENDLY.get(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if (field or "").endswith("_cents"):  # bounds of a money field read as dollars
        ctx = {k: usd(v) if k in ("gt", "ge", "lt", "le") and isinstance(v, int) else v for k, v in ctx.items()}
    if error.get("type") == "value_error" and ctx.get("error"):
        rule = str(ctx["error"])  # our own validators word the rule (services/core/models/bounds.py)
    else:
        rule = template.format(**ctx) if template else error.get("msg", "is invalid").lower()
    return field, f"{field_word(field)} {rule}."


def parse(model: type[M], data: Any) -> M:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        described = [describe(e) for e in exc.errors()]
        field, message = described[0]
        # Every wrong field at once (a form shows each message beside its field); the first leads.
        first: dict = {}
        for f, m in described:
            first.setdefault(f, m)
        everything = [{"field": f, "message": m} for f, m in first.items()]
        raise ValidationFailed(message, field=field, errors=everything)
