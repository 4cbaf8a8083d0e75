"""IT: the notification queue (counts, filters, paging), one email with its attempts, retry now,
cancel, retry every failed one; and the notification service status."""
import reflex as rx

from services.notify import notification_service_status
from services.notify.queue import STATUSES, get_notification, list_notifications, retry_failed, set_status
from services.notify.templates import KINDS
from state.handlers import Feedback, acting_as
from state.pagination import Paginated
from state.session import PortalState

STATUS_FILTERS = ["all", *STATUSES]
KIND_FILTERS = ["all", *KINDS]
OPERATORS = ("it", "admin")


def _row(item: dict) -> dict[str, str]:
    return {"id": item["id"], "to": item["to"], "kind": item["kind"], "subject": item["subject"],
            "status": item["status"], "attempts": str(len(item["attempts"])),
            "created_at": (item["created_at"] or "")[:16].replace("T", " ")}


class ITNotificationsState(PortalState, Feedback, Paginated):
    rows: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    status_filter: str = "all"
    kind_filter: str = "all"
    recipient: str = ""
    day: str = ""
    loaded: bool = False
    service: dict[str, str] = {}
    # The opened notification
    open_id: str = ""
    open_subject: str = ""
    open_to: str = ""
    open_status: str = ""
    open_html: str = ""
    open_attempts: list[dict[str, str]] = []

    def _reload(self) -> None:
        actor = self.actor_with(*OPERATORS)
        if actor is None:
            return
        page = list_notifications(actor, status=None if self.status_filter == "all" else self.status_filter,
                                  kind=None if self.kind_filter == "all" else self.kind_filter,
                                  recipient=self.recipient or None, date=self.day or None, page=self.page,
                                  per_page=self.per_page)
        self.rows, self.total, self.counts = [_row(i) for i in page["items"]], page["total"], page["counts"]
        self.loaded = True

    @rx.event
    def load(self):
        self._reset_portal()
        self._reload()

    @rx.event
    @acting_as(*OPERATORS)
    def load_status(self, actor):
        status = notification_service_status(actor)
        self.service = {k: "" if v is None else str(v) for k, v in status.items() if k != "counts"}

    @rx.event
    def filter_status(self, status: str):
        self.status_filter, self.page = (status if status in STATUS_FILTERS else "all"), 1
        self._reload()

    @rx.event
    def filter_kind(self, kind: str):
        self.kind_filter, self.page = (kind if kind in KIND_FILTERS else "all"), 1
        self._reload()

    @rx.event
    @acting_as(*OPERATORS)
    def search(self, actor, form: dict):
        self.recipient, self.day, self.page = str(form.get("recipient", "")).strip()[:254], str(form.get("date", "")).strip()[:10], 1
        self._reload()

    @rx.event
    @acting_as(*OPERATORS)
    def open(self, actor, notification_id: str):
        n = get_notification(actor, notification_id)
        self.open_id, self.open_subject, self.open_to, self.open_status = n["id"], n["subject"], n["to"], n["status"]
        self.open_html = n["html"]
        self.open_attempts = [{"at": (a["at"] or "")[:19].replace("T", " "), "outcome": a["outcome"] or "",
                               "detail": a["detail"] or ""} for a in n["attempts"]]

    @rx.event
    def close(self):
        self.open_id = ""

    @rx.event
    @acting_as(*OPERATORS)
    def retry(self, actor, notification_id: str):
        set_status(actor, notification_id, "pending")
        self.notice = "Queued to be sent again now."
        self._reload()
        if self.open_id == notification_id:
            self.open_status = "pending"

    @rx.event
    @acting_as(*OPERATORS)
    def cancel(self, actor, notification_id: str):
        set_status(actor, notification_id, "cancelled")
        self.notice = "Cancelled: it will not be sent."
        self._reload()
        if self.open_id == notification_id:
            self.open_status = "cancelled"

    @rx.event
    @acting_as(*OPERATORS)
    def retry_all_failed(self, actor):
        count = retry_failed(actor)
        self.notice = f"{count} failed notification(s) queued again."
        self._reload()
