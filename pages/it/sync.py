"""/it/sync: sync jobs with a live progress bar, past jobs, and the outbox's consumers."""
import reflex as rx

from components.it import it_tabs, table
from components.layout import error_callout, protected, success_callout
from state.it.sync import ItSyncState as S
from state.session import SessionState


def _status_badge(status) -> rx.Component:
    return rx.match(status, ("done", rx.badge("done", color_scheme="green")),
                    ("running", rx.badge("running", color_scheme="blue")),
                    ("failed", rx.badge("failed", color_scheme="red")),
                    ("cancelled", rx.badge("cancelled", color_scheme="amber")),
                    rx.badge(status, color_scheme="gray"))


def _active_job() -> rx.Component:
    job = S.active
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(rx.cond(job["kind"] == "resync", "Full resync", "Reconciliation"), size="4", as_="h2"),
                  rx.box(_status_badge(job["status"]), id="sync-status"), rx.spacer(),
                  rx.cond((job["status"] == "running") | (job["status"] == "queued"),
                          rx.button("Cancel", on_click=S.cancel(job["id"]), color_scheme="red", variant="soft",
                                    size="1", id="cancel-job")),
                  width="100%", align="center"),
        rx.progress(value=S.progress, max=100, id="sync-progress", width="100%", aria_label="Progress of the sync job"),
        rx.hstack(rx.text(rx.text.strong(S.progress, "%"), id="sync-percent"),
                  rx.text(job["processed"], " of ", job["total"], " rows checked", id="sync-counts"),
                  rx.text(job["repaired"], " repaired", id="sync-repaired"),
                  rx.text(job["errors"], " errors", id="sync-errors"), spacing="4", size="2"),
        rx.text("Found: ", job["found"], size="1", color_scheme="gray"),
        rx.cond(job["error"] != "", rx.text(job["error"], color_scheme="red", size="2")),
        spacing="3", width="100%"), width="100%", id="active-job")


def _job_rows() -> rx.Component:
    return table(["Kind", "Status", "Requested by", "Started", "Duration", "Checked", "Repaired", "Errors"], S.jobs,
                 lambda j: rx.table.row(rx.table.cell(j["kind"]), rx.table.cell(_status_badge(j["status"])),
                                        rx.table.cell(j["requested_by"]), rx.table.cell(j["started"]),
                                        rx.table.cell(j["duration"]), rx.table.cell(j["processed"], " / ", j["total"]),
                                        rx.table.cell(j["repaired"]), rx.table.cell(j["errors"])), table_id="job-list")


def _outbox() -> rx.Component:
    return rx.vstack(
        rx.heading("Outbox consumers", size="4", as_="h2"),
        rx.cond(S.consumers.length() > 0,
                table(["Consumer", "Waiting", "Due now", "In progress", "Dead", "Oldest waiting"], S.consumers,
                      lambda c: rx.table.row(rx.table.cell(c["consumer"]), rx.table.cell(c["pending"]),
                                             rx.table.cell(c["due"]), rx.table.cell(c["in_progress"]),
                                             rx.table.cell(c["dead"]), rx.table.cell(c["oldest"])),
                      table_id="consumer-backlog"),
                rx.text("Every consumer is up to date: nothing waiting, nothing dead.", color_scheme="gray", id="no-backlog")),
        rx.hstack(rx.heading("Dead deliveries", size="4", as_="h2"), rx.badge(S.dead_total, id="dead-count"), rx.spacer(),
                  rx.cond(S.dead_total > 0, rx.button("Retry all", on_click=S.retry_all, size="1", id="retry-all")),
                  width="100%", align="center"),
        rx.cond(S.dead.length() > 0,
                table(["Event", "Consumer", "Type", "Subject", "Attempts", "Last error", ""], S.dead,
                      lambda d: rx.table.row(rx.table.cell(d["event_id"]), rx.table.cell(d["consumer"]),
                                             rx.table.cell(d["event_type"]), rx.table.cell(d["subject"]),
                                             rx.table.cell(d["attempts"]),
                                             rx.table.cell(rx.text(d["error"], size="1", color_scheme="red")),
                                             rx.table.cell(rx.button("Retry", size="1", variant="soft",
                                                                     on_click=S.retry(d["event_id"], d["consumer"])))),
                      table_id="dead-deliveries"),
                rx.text("No dead deliveries.", color_scheme="gray")),
        spacing="3", width="100%")


@rx.page(route="/it/sync", title="Data sync · IT · AstroBookings", on_load=[SessionState.guard("it,admin"), S.load])
def it_sync() -> rx.Component:
    return protected(
        it_tabs("/it/sync"),
        rx.heading("Data sync", size="7", id="portal-title"),
        rx.text("The customer read model (launch cards, travelers' bookings) is kept in step with PostgreSQL by the "
                "outbox. A reconciliation compares both and repairs what differs; a full resync rewrites everything.",
                color_scheme="gray", size="2"),
        error_callout(S.error), success_callout(S.notice),
        rx.hstack(rx.button("Start full resync", on_click=S.start("resync"), id="start-resync"),
                  rx.button("Start reconciliation", on_click=S.start("reconcile"), variant="soft", id="start-reconcile"),
                  spacing="3"),
        rx.cond(S.has_active, _active_job()),
        rx.heading("Past jobs", size="4", as_="h2"),
        rx.cond(S.jobs.length() > 0, _job_rows(), rx.text("No sync job has run yet.", color_scheme="gray")),
        _outbox(),
        width="72em",
    )
