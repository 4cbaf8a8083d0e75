"""What the IT pages share: their tabs and a plain table."""
import reflex as rx
from components.tables import table_root
from components.layout import link_button

IT_TABS = [("Status", "/it"), ("Sync", "/it/sync"), ("Logs", "/it/logs"), ("Metrics", "/it/metrics")]


def it_tabs(current: str) -> rx.Component:
    return rx.hstack(*[link_button(label, href, variant="solid" if href == current else "soft", size="1")
                       for label, href in IT_TABS], spacing="2")


def table(headers: list[str], rows, render_row, *, table_id: str) -> rx.Component:
    return table_root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, render_row)),
        width="100%", size="1", id=table_id)
