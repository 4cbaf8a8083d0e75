"""My bookings: each with its launch as it stands now, and cancelling with the refund shown first."""
from typing import ClassVar

import reflex as rx

from astrobookings.models.booking import BookingPublic
from services import bookings
from services.booking_rules import format_usd
from services.errors import DomainError
from services.seo import human_date
from state.pagination import Paginated
from state.session import SessionState

PER_PAGE = 10
_LAUNCH_NOTES = {
    "delayed": "Delayed: the new launch date is {date}.",
    "aborted": "Aborted{reason}: every booking is refunded in full.",
    "launched": "Launched successfully.",
    "failed": "The launch failed.",
}


def booking_row(b: BookingPublic) -> dict[str, str]:
    launch = b.launch
    reason = f" ({launch.abort_reason})" if launch.abort_reason else ""
    note = _LAUNCH_NOTES.get(launch.status, "").format(date=human_date(launch.date), reason=reason)
    refund = f"{format_usd(b.refund_cents)} ({b.refund_percent}%)" if b.status.value == "cancelled" else ""
    return {
        "id": str(b.id), "launch": launch.name, "url": f"/launches/{launch.slug}", "date": human_date(launch.date),
        "agency": launch.agency_name, "spaceport": launch.spaceport_name, "status": b.status.value,
        "launch_status": launch.status, "note": note, "seats": str(b.seats), "paid": format_usd(b.amount_cents),
        "refund": refund, "passengers": ", ".join(f"{p.name} ({p.email})" for p in b.passengers),
        "cancellable": "yes" if b.cancel_quote else "",
    }


class MyBookingsState(SessionState, Paginated):
    per_page: ClassVar[int] = PER_PAGE
    rows: list[dict[str, str]] = []
    error: str = ""
    notice: str = ""
    # The booking waiting for the traveler to confirm its cancellation, with what it refunds.
    confirm_id: str = ""
    confirm_name: str = ""
    confirm_message: str = ""
    confirm_refund_cents: int = 0

    def _reload(self):
        actor = self.actor_with("traveler")
        if actor is None:
            return
        items, self.total = bookings.list_bookings(actor, page=self.page, per_page=PER_PAGE)
        self.rows = [booking_row(b) for b in items]

    @rx.event
    def load(self):
        self.error, self.notice, self.page, self.confirm_id = "", "", 1, ""
        self._reload()

    @rx.event
    def ask_cancel(self, booking_id: str):
        """Shows the refund this cancellation would give now, before anything is changed."""
        self.error, self.notice = "", ""
        actor = self.actor_with("traveler")
        if actor is None:
            return
        try:
            booking = bookings.get_booking(actor, int(booking_id))
        except DomainError as exc:
            self.error = exc.message
            return
        if booking.cancel_quote is None:
            self.error = "This booking can no longer be cancelled."
            return
        self.confirm_id, self.confirm_name = booking_id, booking.launch.name
        self.confirm_message = booking.cancel_quote.message
        self.confirm_refund_cents = booking.cancel_quote.refund_cents

    @rx.event
    def keep_booking(self):
        self.confirm_id = ""

    @rx.event
    def confirm_cancel(self):
        actor = self.actor_with("traveler")
        booking_id, self.confirm_id = self.confirm_id, ""
        if actor is None or not booking_id:
            return
        try:
            booking = bookings.cancel_booking(actor, int(booking_id), {"expected_refund_cents": self.confirm_refund_cents})
        except DomainError as exc:
            self.error = exc.message
            self._reload()
            return
        refund = format_usd(booking.refund_cents)
        self.notice = (f"Booking cancelled. {refund} ({booking.refund_percent}%) goes back to your card."
                       if booking.refund_cents else "Booking cancelled. There is no refund this close to the launch.")
        self._reload()
