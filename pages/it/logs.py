"""/it/logs: the activity log (filters, paging, detail with origin) and the app's warnings."""
import reflex as rx

from components.forms import pager
from components.it import it_tabs, table
from components.layout import error_callout, protected
from state.it.logs import ItLogsState as S
from state.session import SessionState


def _input(name: str, placeholder: str, type_: str = "text") -> rx.Component:
    return rx.input(name=name, placeholder=placeholder, type=type_, size="1", id=f"filter-{name}", max_length=200)


def _select(name: str, options: list[str]) -> rx.Component:
    return rx.select(["any", *options], name=name, default_value="any", size="1", id=f"filter-{name}",
                     custom_attrs={"aria-label": name.replace("_", " ").capitalize()})


def _filters() -> rx.Component:
    return rx.form(rx.grid(
        _input("action", "Action (booking.confirmed)"), _input("actor_email", "Actor email"),
        _select("role", ["traveler", "agency", "finance", "it", "admin", "system"]),
        _select("entry_point", ["web", "api", "job"]), _input("subject", "Subject (launch:12)"),
        _input("since", "From", "datetime-local"), _input("until", "To", "datetime-local"),
        _input("text", "Free text"),
        rx.button("Filter", type="submit", size="1", id="apply-filters"),
        columns="3", spacing="2", width="100%"),
        rx.text("Free text with an actor email or a subject searches the whole log; on its own it searches the "
                "last 24 hours, or a From–To range of up to 7 days (each entry it reads costs time, and the log "
                "has no index for words).", size="1", color_scheme="gray", id="text-window-hint"),
        on_submit=S.apply, width="100%", id="log-filters")


def _detail() -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(S.detail["action"], size="4", as_="h2"), rx.spacer(),
                  rx.button("Close", on_click=S.close_entry, size="1", variant="soft"), width="100%"),
        rx.text("Origin: event ", rx.code(S.detail["event_id"]), " by ", S.detail["actor"], " (", S.detail["role"],
                ") through ", S.detail["entry_point"], " at ", S.detail["at"], size="2", id="entry-origin"),
        rx.code_block(S.detail_json, language="json", width="100%"),
        spacing="2", width="100%"), width="100%", id="entry-detail")


@rx.page(route="/it/logs", title="Logs · IT · AstroBookings", on_load=[SessionState.guard("it,admin"), S.load])
def it_logs() -> rx.Component:
    return protected(
        it_tabs("/it/logs"),
        rx.heading("Activity log", size="7", id="portal-title"),
        rx.text("Every change, one entry per outbox event, with who made it, in which role and through which entry point.",
                size="2", color_scheme="gray"),
        _filters(),
        error_callout(S.error),
        rx.cond(S.detail.contains("id"), _detail()),
        rx.hstack(rx.text(S.total, rx.cond(S.capped, "+", ""), " entries", size="2", id="log-total"),
                  rx.text(S.searched, size="2", color_scheme="gray", id="log-window"), spacing="2", wrap="wrap"),
        table(["When", "Action", "Actor", "Role", "Entry point", "Subject", "Event", ""], S.entries,
              lambda e: rx.table.row(rx.table.cell(e["at"]), rx.table.cell(e["action"]),
                                     rx.table.cell(e["actor"], class_name="log-actor"), rx.table.cell(e["role"]),
                                     rx.table.cell(e["entry_point"]), rx.table.cell(e["subject"]),
                                     rx.table.cell(e["event_id"]),
                                     rx.table.cell(rx.button("Details", size="1", variant="ghost",
                                                             on_click=S.open_entry(e["id"])))),
              table_id="log-entries"),
        pager(S.page, S.pages, S.turn(-1), S.turn(1)),
        rx.heading("Application warnings and errors", size="4", as_="h2"),
        rx.text("Kept 14 days.", size="1", color_scheme="gray"),
        rx.cond(S.app_lines.length() > 0,
                table(["When", "Level", "Logger", "Message"], S.app_lines,
                      lambda line: rx.table.row(rx.table.cell(line["at"]), rx.table.cell(line["level"]),
                                                rx.table.cell(line["logger"]), rx.table.cell(line["msg"])),
                      table_id="app-logs"),
                rx.text("No warning or error recently.", color_scheme="gray", size="2")),
        width="76em",
    )
