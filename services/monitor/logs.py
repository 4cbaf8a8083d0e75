"""What IT reads of the logs: the activity log (EntryLog, one per outbox event) filtered and paged
newest first, one entry in full with its origin, and the application's own warnings and errors
(kept in MongoDB by astrobookings/logs.py for APP_LOG_RETENTION_DAYS).

Each equality filter has an index that leads with it and ends with the time, so a filtered page
reads only its own entries however long the log is; free text is a case-insensitive match over
the action, actor, subject and address, narrowed first by the other filters. Totals stop counting
at COUNT_LIMIT (the page says "1000+"), so a broad filter never scans the whole log to count.
"""
import re
from datetime import datetime

from pymongo import DESCENDING

from astrobookings.models.documents import EntryLog
from astrobookings.mongo import system_db
from services.kernel.actor import Actor
from services.kernel.errors import NotFound, ValidationFailed

OPERATORS = ("it", "admin")
COUNT_LIMIT = 1_000
APP_LOGS = "app_logs"
ENTRY_FIELDS = {"action": "action", "actor_email": "actor_email", "role": "actor_role", "entry_point": "entry_point",
                "subject": "subject"}


def _page(page: int, per_page: int) -> tuple[int, int]:
    return max(page, 1), min(max(per_page, 1), 200)


def _time_range(since: datetime | None, until: datetime | None, field: str = "at") -> dict:
    if since and until and since > until:
        raise ValidationFailed("The start of the time range must come before its end.", field="since")
    bounds = {k: v for k, v in (("$gte", since), ("$lte", until)) if v is not None}
    return {field: bounds} if bounds else {}


def _text(q: str | None, fields: tuple[str, ...]) -> dict:
    if not q or not q.strip():
        return {}
    pattern = {"$regex": re.escape(q.strip()), "$options": "i"}
    return {"$or": [{f: pattern} for f in fields]}


def entry_query(*, action=None, actor_email=None, role=None, entry_point=None, subject=None, since=None, until=None,
                text=None) -> dict:
    """The MongoDB filter of these log filters (empty ones ignored)."""
    given = {"action": action, "actor_email": actor_email, "role": role, "entry_point": entry_point, "subject": subject}
    query = {ENTRY_FIELDS[k]: (v.strip().lower() if k == "actor_email" else v.strip()) for k, v in given.items()
             if v and v.strip()}
    query.update(_time_range(since, until))
    query.update(_text(text, ("action", "actor_email", "subject", "client_address")))
    return query


def search_entries(actor: Actor, *, page: int = 1, per_page: int = 50, **filters) -> tuple[list[dict], int]:
    """Activity log entries matching the filters, newest first; the total counts up to COUNT_LIMIT."""
    actor.require(*OPERATORS)
    page, per_page = _page(page, per_page)
    query = entry_query(**filters)
    entries = system_db()[EntryLog.collection]
    docs = list(entries.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)])
                .skip((page - 1) * per_page).limit(per_page))
    total = entries.count_documents(query, limit=COUNT_LIMIT)
    return docs, total


def get_entry(actor: Actor, entry_id: str) -> dict:
    actor.require(*OPERATORS)
    doc = system_db()[EntryLog.collection].find_one({"_id": entry_id}) if len(entry_id or "") <= 64 else None
    if doc is None:
        raise NotFound("No such log entry.", field="entry_id")
    return doc


def search_app_logs(actor: Actor, *, level: str | None = None, text: str | None = None, since=None, until=None,
                    page: int = 1, per_page: int = 50) -> tuple[list[dict], int]:
    """The application's warnings and errors, newest first."""
    actor.require(*OPERATORS)
    page, per_page = _page(page, per_page)
    query = {"level": level.lower()} if level else {}
    query.update(_time_range(since, until))
    query.update(_text(text, ("msg", "logger")))
    lines = system_db()[APP_LOGS]
    docs = list(lines.find(query).sort("at", DESCENDING).skip((page - 1) * per_page).limit(per_page))
    return docs, lines.count_documents(query, limit=COUNT_LIMIT)
