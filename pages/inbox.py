"""A traveler's or agency's notifications (the bell in the navbar leads here)."""
import reflex as rx

from components.layout import protected
from state.inbox import InboxState as S
from state.session import SessionState


def _item(item) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.cond(item["read"] == "", rx.badge("new", color_scheme="indigo")),
                  rx.text.strong(item["subject"]), rx.spacer(), rx.text(item["created_at"], size="1", color_scheme="gray"),
                  width="100%", align="center"),
        rx.text(item["text"], white_space="pre-wrap", size="2"),
        rx.cond(item["read"] == "", rx.button("Mark as read", size="1", variant="soft", on_click=S.read(item["id"]),
                                               class_name="mark-read")),
        spacing="2", width="100%"), width="100%", class_name="inbox-item")


@rx.page(route="/notifications", title="Notifications · AstroBookings",
         on_load=[SessionState.guard("traveler,agency"), S.load])
def inbox() -> rx.Component:
    return protected(
        rx.heading("Notifications", size="7", id="portal-title"),
        rx.text(S.unread, " unread", size="2", color_scheme="gray", id="inbox-unread"),
        rx.cond(S.items.length() > 0, rx.vstack(rx.foreach(S.items, _item), spacing="3", width="100%"),
                rx.text("Nothing yet: bookings, launch news and invoices show up here.", color_scheme="gray")),
    )
