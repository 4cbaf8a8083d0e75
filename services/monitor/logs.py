"""What IT reads of the logs: the activity log (EntryLog, one per outbox event) filtered and paged
newest first, one entry in full with its origin, and the application's own warnings and errors
(kept in MongoDB by services/core/logs.py for mongo.APP_LOG_RETENTION_DAYS).

Each equality filter has an index that leads with it and ends with the time. A page is read newest
first in time slices going back from now (or the range's end), each twice as long as the one before (1 h, 2 h, 4 h, ...),
each a range on that index, until the page is full and the total counted: a broad filter then
reads at most about twice a page and twice COUNT_LIMIT entries, not every match to sort and count
them (what a store that cannot walk an index backwards for a sort would do). Free
text is one case-insensitive match on the entry's `search` field (action, actor, subject and
address), narrowed first by the other filters. Totals stop counting at COUNT_LIMIT (the page says
"1000+"), so a broad filter never scans the whole log to count.

Free text has no index to lead with (a word index cost more than it saved on the embedded server,
and a real MongoDB's text index matches words, not the parts of an address IT types), so its cost
is the number of entries it reads. Free text with an actor email or a subject reads that actor's or
that subject's entries only; free text with neither reads one time window, the last TEXT_DEFAULT
unless a From/To range of at most TEXT_WINDOW is given: a bound on the entries read that holds on
any MongoDB and at any size of the log. Its matches are counted as they are read (one pass, no
second scan to count).
"""
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from pymongo import DESCENDING
from pymongo.collection import Collection

from services.core.models.base import utcnow
from services.core.models.documents import EntryLog
from services.core.mongo import system_db
from services.kernel.actor import Actor
from services.kernel.errors import NotFound, ValidationFailed

OPERATORS = ("it", "admin")
COUNT_LIMIT = 1_000
APP_LOGS = "app_logs"
ENTRY_FIELDS = {"action": "action", "actor_email": "actor_email", "role": "actor_role", "entry_point": "entry_point",
                "subject": "subject"}


TEXT_DEFAULT = timedelta(days=1)
TEXT_WINDOW = timedelta(days=7)
TEXT_SLACK = timedelta(hours=1)  # a range picked as "7 days back" a few minutes ago is still 7 days
NARROWING = ("actor_email", "subject")  # filters naming one actor or one thing: free text may search all time


def _page(page: int, per_page: int) -> tuple[int, int]:
    return max(page, 1), min(max(per_page, 1), 200)


SLICES = tuple(timedelta(hours=2 ** k) for k in range(15))  # back to about two years; then the rest


def _check_range(since: datetime | None, until: datetime | None) -> None:
    if since and until and since > until:
        raise ValidationFailed("The start of the time range must come before its end.", field="since")


def _slices(since: datetime | None, until: datetime | None) -> Iterator[dict]:
    """The time bounds of each slice, newest first, within [since, until]; together they cover it once."""
    upper, op = until, "$lte"
    now = utcnow()
    anchor = until if until is not None and until < now else now  # slices go back from the range's end
    for edge in (anchor - span for span in SLICES):
        if since is not None and edge <= since:
            break
        if upper is not None and edge >= upper:
            continue  # this slice lies after `until`
        yield {"$gte": edge, **({op: upper} if upper is not None else {})}
        upper, op = edge, "$lt"
    rest = {k: v for k, v in (("$gte", since), (op, upper)) if v is not None}
    yield rest


def _text(q: str | None, field: str) -> dict:
    return {field: {"$regex": re.escape(q.strip().lower()), "$options": "i"}} if q and q.strip() else {}


def text_window(filters: dict, since: datetime | None, until: datetime | None
                ) -> tuple[datetime, datetime] | None:
    """The time window free text searches when no narrowing filter is given (None: no window needed).
    A range longer than TEXT_WINDOW is refused rather than cut short, so no result looks complete
    that is not."""
    if not (filters.get("text") or "").strip() or any((filters.get(k) or "").strip() for k in NARROWING):
        return None
    _check_range(since, until)
    until = until or utcnow()
    since = since or until - TEXT_DEFAULT
    if until - since > TEXT_WINDOW + TEXT_SLACK:
        raise ValidationFailed(
            f"Free text alone searches at most {TEXT_WINDOW.days} days: narrow From and To, or add an actor "
            "email or a subject to search the whole log.", field="since")
    return since, until


def newest_first(collection: Collection, query: dict, *, since=None, until=None, page: int = 1,
                 per_page: int = 50) -> tuple[list[dict], int]:
    """One page of `query` newest first by `at`, and its total counted up to COUNT_LIMIT."""
    _check_range(since, until)
    page, per_page = _page(page, per_page)
    wanted, found, total = page * per_page, [], 0
    # A query with free text reads its matches up to COUNT_LIMIT once (no index would make the count cheap).
    count_by_reading = any(isinstance(v, dict) and "$regex" in v for v in query.values())
    for bounds in _slices(since, until):
        sliced = {**query, "at": bounds} if bounds else query
        if count_by_reading:
            if total < COUNT_LIMIT:
                read = list(collection.find(sliced).sort([("at", DESCENDING), ("_id", DESCENDING)])
                            .limit(COUNT_LIMIT - total))
                found += read[:max(wanted - len(found), 0)]
                total += len(read)
            if total >= COUNT_LIMIT:
                break
            continue
        if len(found) < wanted:
            found += collection.find(sliced).sort([("at", DESCENDING), ("_id", DESCENDING)]).limit(wanted - len(found))
        if total < COUNT_LIMIT:
            total += collection.count_documents(sliced, limit=COUNT_LIMIT - total)
        if len(found) >= wanted and total >= COUNT_LIMIT:
            break
    return found[(page - 1) * per_page:], total


def entry_query(*, action=None, actor_email=None, role=None, entry_point=None, subject=None, text=None) -> dict:
    """The MongoDB filter of these log filters (empty ones ignored; the time range is newest_first's)."""
    given = {"action": action, "actor_email": actor_email, "role": role, "entry_point": entry_point, "subject": subject}
    query = {ENTRY_FIELDS[k]: (v.strip().lower() if k == "actor_email" else v.strip()) for k, v in given.items()
             if v and v.strip()}
    query.update(_text(text, "search"))
    return query


def search_entries(actor: Actor, *, page: int = 1, per_page: int = 50, since: datetime | None = None,
                   until: datetime | None = None, **filters) -> tuple[list[dict], int]:
    """Activity log entries matching the filters, newest first; the total counts up to COUNT_LIMIT."""
    actor.require(*OPERATORS)
    window = text_window(filters, since, until)
    if window:
        since, until = window
    return newest_first(system_db()[EntryLog.collection], entry_query(**filters), since=since, until=until,
                        page=page, per_page=per_page)


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
    query = {"level": level.lower()} if level else {}
    query.update(_text(text, "msg"))
    return newest_first(system_db()[APP_LOGS], query, since=since, until=until, page=page, per_page=per_page)
