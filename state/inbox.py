"""The traveler's or agency's own notifications: the bell's unread count and the list."""
import reflex as rx

from services.notify.inbox import mark_read, my_notifications, unread_count
from state.handlers import Feedback, acting_as
from state.session import PortalState

READERS = ("traveler", "agency")


class InboxState(PortalState, Feedback):
    unread: int = 0
    items: list[dict[str, str]] = []

    @rx.event
    def count(self):
        actor = self.actor_with(*READERS)
        self.unread = unread_count(actor) if actor else 0

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with(*READERS)
        if actor is None:
            return
        page = my_notifications(actor, per_page=50)
        self.unread = page["unread"]
        self.items = [{"id": i["id"], "subject": i["subject"], "text": i["text"], "kind": i["kind"],
                       "created_at": (i["created_at"] or "")[:16].replace("T", " "),
                       "read": "yes" if i["read_at"] else ""} for i in page["items"]]

    @rx.event
    @acting_as(*READERS)
    def read(self, actor, notification_id: str):
        self.unread = mark_read(actor, notification_id)["unread"]
        self.items = [{**i, "read": "yes"} if i["id"] == notification_id else i for i in self.items]
