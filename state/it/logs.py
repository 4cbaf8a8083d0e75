"""/it/logs: the activity log with filters, paging newest first and a detail view with the origin;
the application's own warnings and errors below."""
import json
from datetime import datetime, timezone

import reflex as rx

from services.core.formatting import when
from services.kernel.errors import ValidationFailed
from services.monitor import logs
from state.handlers import Feedback, acting_as
from state.it.shared import OPERATORS
from state.session import PortalState

PER_PAGE = 25
FILTERS = ("action", "actor_email", "role", "entry_point", "subject", "since", "until", "text")


def _moment(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Give a date and time like 2027-03-14T09:30.", field=field) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _row(doc: dict) -> dict[str, str]:
    return {"id": str(doc["_id"]), "at": when(doc.get("at")), "action": doc.get("action", ""),
            "actor": doc.get("actor_email") or "", "role": doc.get("actor_role") or "",
            "entry_point": doc.get("entry_point") or "", "subject": doc.get("subject") or "",
            "event_id": str(doc.get("event_id") or "")}


class ItLogsState(PortalState, Feedback):
    filters: dict[str, str] = {}
    entries: list[dict[str, str]] = []
    total: int = 0
    capped: bool = False
    page: int = 1
    detail: dict[str, str] = {}
    detail_json: str = ""
    app_lines: list[dict[str, str]] = []
    searched: str = ""  # the time window free text alone searched, said beside the total

    @rx.var
    def pages(self) -> int:
        return max((self.total + PER_PAGE - 1) // PER_PAGE, 1)

    def _search(self, actor) -> None:
        f = self.filters
        since, until = _moment(f.get("since", ""), "since"), _moment(f.get("until", ""), "until")
        chosen = dict(action=f.get("action"), actor_email=f.get("actor_email"), role=f.get("role") or None,
                      entry_point=f.get("entry_point") or None, subject=f.get("subject"), text=f.get("text"))
        window = logs.text_window(chosen, since, until)
        since, until = window or (since, until)
        self.searched = f"Free text searched {when(since)} to {when(until)}." if window else ""
        docs, self.total = logs.search_entries(actor, page=self.page, per_page=PER_PAGE, since=since, until=until,
                                               **chosen)
        self.capped = self.total >= logs.COUNT_LIMIT
        self.entries = [_row(d) for d in docs]
        lines, _ = logs.search_app_logs(actor, per_page=20)
        self.app_lines = [{"at": when(line.get("at")), "level": line.get("level", ""), "logger": line.get("logger", ""),
                           "msg": str(line.get("msg", ""))[:300]} for line in lines]

    @rx.event
    @acting_as(*OPERATORS, reset=True)
    def load(self, actor):
        self.page, self.detail, self.detail_json = 1, {}, ""
        self._search(actor)

    @rx.event
    @acting_as(*OPERATORS)
    def apply(self, actor, form: dict):
        self.filters = {k: str(form.get(k) or "").strip()[:200] for k in FILTERS}
        self.filters = {k: ("" if v == "any" else v) for k, v in self.filters.items()}
        self.page, self.detail = 1, {}
        self._search(actor)

    @rx.event
    @acting_as(*OPERATORS)
    def turn(self, actor, delta: int):
        self.page = min(max(self.page + delta, 1), self.pages)
        self._search(actor)

    @rx.event
    @acting_as(*OPERATORS)
    def open_entry(self, actor, entry_id: str):
        doc = logs.get_entry(actor, entry_id)
        self.detail = _row(doc)
        self.detail_json = json.dumps({k: v for k, v in doc.items()}, default=str, indent=2, sort_keys=True)

    @rx.event
    def close_entry(self):
        self.detail, self.detail_json = {}, ""
