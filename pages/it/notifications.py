"""IT: the notification queue at /it/notifications."""
import reflex as rx

from components.forms import pager
from components.layout import error_callout, protected, success_callout
from components.tables import table_root
from state.it.notifications import KIND_FILTERS, STATUS_FILTERS, ITNotificationsState as S
from state.session import SessionState

STATUS_COLORS = {"pending": "blue", "sending": "amber", "sent": "green", "failed": "red", "cancelled": "gray"}


def _counts() -> rx.Component:
    return rx.hstack(*[rx.badge(status, ": ", S.counts.get(status, 0), color_scheme=color, id=f"count-{status}")
                       for status, color in STATUS_COLORS.items()], spacing="2", wrap="wrap")


def _service() -> rx.Component:
    return rx.card(rx.hstack(
        rx.text("Mail service: ", rx.text.strong(S.service.get("status", "…"), id="mail-service-status")),
        rx.text("SMTP reachable: ", S.service.get("smtp_reachable", "…"), size="2"),
        rx.text("Queue: ", S.service.get("queue_depth", "…"), size="2"),
        rx.text("Oldest pending: ", S.service.get("oldest_pending_age_seconds", "…"), " s", size="2"),
        rx.text("Sent / failed last hour: ", S.service.get("sent_last_hour", "…"), " / ", S.service.get("failed_last_hour", "…"), size="2"),
        spacing="4", wrap="wrap", align="center"), width="100%")


def _filters() -> rx.Component:
    return rx.form(rx.hstack(
        rx.vstack(rx.text("Status", as_="label", custom_attrs={"htmlFor": "status-filter"}, size="2"),
                  rx.select(STATUS_FILTERS, value=S.status_filter, on_change=S.filter_status, id="status-filter"), spacing="1"),
        rx.vstack(rx.text("Kind", as_="label", custom_attrs={"htmlFor": "kind-filter"}, size="2"),
                  rx.select(KIND_FILTERS, value=S.kind_filter, on_change=S.filter_kind, id="kind-filter"), spacing="1"),
        rx.vstack(rx.text("Recipient", as_="label", custom_attrs={"htmlFor": "recipient"}, size="2"),
                  rx.input(name="recipient", id="recipient", default_value=S.recipient, max_length=254), spacing="1"),
        rx.vstack(rx.text("Day", as_="label", custom_attrs={"htmlFor": "date"}, size="2"),
                  rx.input(name="date", id="date", type="date", default_value=S.day), spacing="1"),
        rx.button("Search", type="submit", id="search-notifications"),
        rx.button("Retry all failed", type="button", color_scheme="red", variant="soft", on_click=S.retry_all_failed,
                  id="retry-all-failed"),
        align="end", spacing="3", wrap="wrap"), on_submit=S.search, width="100%")


def _actions(row) -> rx.Component:
    return rx.hstack(
        rx.button("Open", size="1", variant="soft", on_click=S.open(row["id"]), id=f"open-{row['id']}"),
        rx.cond((row["status"] == "failed") | (row["status"] == "pending"),
                rx.button("Retry now", size="1", on_click=S.retry(row["id"]), id=f"retry-{row['id']}")),
        rx.cond(row["status"] == "pending",
                rx.button("Cancel", size="1", color_scheme="gray", variant="soft", on_click=S.cancel(row["id"]),
                          id=f"cancel-{row['id']}")),
        spacing="2")


def _table() -> rx.Component:
    return table_root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                       ("Created", "To", "Kind", "Subject", "Status", "Attempts", "")])),
        rx.table.body(rx.foreach(S.rows, lambda r: rx.table.row(
            rx.table.cell(r["created_at"]), rx.table.cell(r["to"]), rx.table.cell(r["kind"]), rx.table.cell(r["subject"]),
            rx.table.cell(rx.badge(r["status"], color_scheme=rx.match(r["status"], *STATUS_COLORS.items(), "gray"))),
            rx.table.cell(r["attempts"]), rx.table.cell(_actions(r)), class_name="notification-row"))),
        width="100%", id="notification-table")


def _detail() -> rx.Component:
    return rx.cond(S.open_id != "", rx.card(rx.vstack(
        rx.hstack(rx.heading(S.open_subject, size="4", as_="h2", id="open-subject"), rx.spacer(),
                  rx.badge(S.open_status, id="open-status"), rx.button("Close", size="1", variant="soft", on_click=S.close)),
        rx.text("To ", S.open_to, size="2"),
        # The email as sent, sandboxed: its HTML never runs in the IT page.
        rx.el.iframe(src_doc=S.open_html, sandbox="", title="Rendered email", width="100%", height="320px",
                     style={"border": "1px solid var(--gray-a5)", "background": "white"}, id="open-html"),
        rx.heading("Attempts", size="3", as_="h3"),
        rx.foreach(S.open_attempts, lambda a: rx.text(a["at"], " · ", a["outcome"], " · ", a["detail"], size="2",
                                                      class_name="attempt")),
        rx.cond((S.open_status == "failed") | (S.open_status == "pending"),
                rx.button("Retry now", on_click=S.retry(S.open_id), id="retry-open")),
        spacing="3", width="100%"), width="100%", id="notification-detail"))


@rx.page(route="/it/notifications", title="Notifications · IT · AstroBookings",
         on_load=[SessionState.guard("it,admin"), S.load, S.load_status])
def it_notifications() -> rx.Component:
    return protected(
        rx.heading("Notification queue", size="7", id="portal-title"),
        _service(), _counts(), _filters(),
        error_callout(S.error), success_callout(S.notice),
        _detail(),
        rx.text(S.total, " notification(s)", size="2", color_scheme="gray", id="notification-count"),
        rx.cond(S.total > 0, _table(), rx.text("No notification matches these filters.", color_scheme="gray")),
        pager(S.page, S.pages, S.prev_page, S.next_page),
        width="80em",
    )
