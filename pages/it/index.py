"""/it: each store's status and latency, the scheduler's leader and live processes, restarts, the notification
service, the last reconciliation and the build; refreshes on its own."""
import reflex as rx

from components.it import it_tabs, table
from components.layout import error_callout, protected
from state.it.status import ItStatusState as S
from state.session import SessionState


def _ok_badge(value) -> rx.Component:
    return rx.match(value, ("ok", rx.badge("ok", color_scheme="green")), ("alive", rx.badge("alive", color_scheme="green")),
                    ("down", rx.badge("down", color_scheme="red")), ("gone", rx.badge("gone", color_scheme="gray")),
                    ("degraded", rx.badge("degraded", color_scheme="amber")), rx.badge(value, color_scheme="gray"))


def _store(store) -> rx.Component:
    return rx.card(rx.vstack(rx.text(store["name"], weight="bold"), rx.box(_ok_badge(store["status"])),
                             rx.text(store["latency"], size="2", color_scheme="gray"), spacing="1"),
                   id="store-" + store["name"], width="100%")


def _pairs(values) -> rx.Component:
    return rx.foreach(values, lambda kv: rx.text(rx.text.strong(kv[0], ": "), kv[1], size="2"))


@rx.page(route="/it", title="IT operations · AstroBookings", on_load=[SessionState.guard("it,admin"), S.load])
def it_home() -> rx.Component:
    return protected(
        it_tabs("/it"),
        rx.hstack(rx.heading("System status", size="7", id="portal-title"), rx.box(_ok_badge(S.overall), id="overall-status"),
                  rx.spacer(), rx.text("Checked ", S.checked_at, size="1", color_scheme="gray", id="checked-at"),
                  align="center", width="100%"),
        error_callout(S.error),
        rx.grid(rx.foreach(S.stores, _store), columns="3", spacing="3", width="100%"),
        rx.heading("Processes", size="4", as_="h2"),
        rx.text("Scheduler leader: ", rx.code(S.leader), size="2"),
        table(["Process", "Role", "PID", "Host", "Version", "", "State", "Last heartbeat"], S.processes,
              lambda p: rx.table.row(rx.table.cell(p["id"]), rx.table.cell(p["role"]), rx.table.cell(p["pid"]),
                                     rx.table.cell(p["host"]), rx.table.cell(p["version"]),
                                     rx.table.cell(rx.cond(p["leader"] != "", rx.badge("leader", color_scheme="blue"))),
                                     rx.table.cell(_ok_badge(p["state"])), rx.table.cell(p["seen"])),
              table_id="processes"),
        rx.heading("Restarts in the last day", size="4", as_="h2"),
        rx.cond(S.restarts.length() > 0,
                table(["When", "Host", "Role", "Exit code", "Restart in a row", "Backoff"], S.restarts,
                      lambda r: rx.table.row(rx.table.cell(r["at"]), rx.table.cell(r["host"]), rx.table.cell(r["role"]),
                                             rx.table.cell(r["exit_code"]), rx.table.cell(r["restart"]),
                                             rx.table.cell(r["backoff"])),
                      table_id="restarts"),
                rx.text("No server restarted by its supervisor in the last day.", size="2", color_scheme="gray",
                        id="no-restarts")),
        rx.grid(
            rx.card(rx.vstack(rx.heading("Notification service", size="3", as_="h3"), _pairs(S.notifications), spacing="1"),
                    id="notification-status"),
            rx.card(rx.vstack(rx.heading("Last reconciliation", size="3", as_="h3"),
                              rx.cond(S.reconciliation.length() > 0, _pairs(S.reconciliation),
                                      rx.text("None has run yet.", size="2", color_scheme="gray")),
                              rx.link("Data sync", href="/it/sync", size="2"), spacing="1"), id="last-reconciliation"),
            rx.card(rx.vstack(rx.heading("Build", size="3", as_="h3"), rx.text(S.build, size="2", id="build-version"), spacing="1")),
            columns="3", spacing="3", width="100%"),
        width="72em",
    )
