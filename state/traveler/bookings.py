"""My bookings: each with its launch as it stands now (refreshed while the page is open, so a delay
or an abort shows without a reload), its receipt, and cancelling with the refund shown first."""
from typing import ClassVar

import reflex as rx

from services.core.models.booking import BookingPublic
from services.core.formatting import human_date, iso_utc, usd as format_usd
from services.booking import bookings, cancellations
from services.kernel.errors import DomainError
from state.handlers import Feedback, acting_as, loads
from state.pagination import Paginated
from state.params import parse_id
from state.session import PortalState
from state.watch import watch_while_open

PER_PAGE = 10
REFRESH_SECONDS = 5.0
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
    if b.status.value == "released" and b.refund_status is not None:
        refund = f"{format_usd(b.refund_cents)} (the charge of a hold that expired)"
    # Written with the cancellation, paid by the gateway moments later: say which it is.
    refund_state = {"pending": "Refund pending", "paid": "Refund paid"}.get(getattr(b.refund_status, "value", ""), "")
    return {
        "id": str(b.id), "receipt_url": f"/traveler/bookings/{b.id}/receipt", "launch": launch.name, "url": f"/launches/{launch.slug}", "date": human_date(launch.date), "iso": iso_utc(launch.date),
        "agency": launch.agency_name, "spaceport": launch.spaceport_name, "status": b.status.value,
        "launch_status": launch.status, "note": note, "seats": str(b.seats), "paid": format_usd(b.amount_cents),
        "refund": refund, "refund_state": refund_state, "passengers": ", ".join(f"{p.name} ({p.email})" for p in b.passengers),
        "cancellable": "yes" if b.cancel_quote else "",
    }


class MyBookingsState(PortalState, Feedback, Paginated):
    per_page: ClassVar[int] = PER_PAGE
    rows: list[dict[str, str]] = []
    # The booking waiting for the traveler to confirm its cancellation, with what it refunds.
    confirm_id: str = ""
    confirm_name: str = ""
    confirm_message: str = ""
    confirm_refund_cents: int = 0
    watch_token: str = ""

    @loads("your bookings")
    def _reload(self):
        actor = self.actor_with("traveler")
        if actor is None:
            self._reset_portal()
            return
        self._show(actor)

    def _show(self, actor) -> None:
        items, self.total = bookings.list_bookings(actor, page=self.page, per_page=PER_PAGE)
        self.rows = [booking_row(b) for b in items]

    @rx.event
    def load(self):
        self._reset_portal()
        self._reload()
        return MyBookingsState.watch

    @rx.event(background=True)
    async def watch(self):
        """Refresh while the page is open: an agency's delay or abort shows by itself."""
        await watch_while_open(self, REFRESH_SECONDS, ("traveler",), self._show, path="/traveler")

    @rx.event
    @acting_as("traveler")
    def ask_cancel(self, actor, booking_id: str):
        """Shows the refund this cancellation would give now, before anything is changed."""
        booking = bookings.get_booking(actor, parse_id(booking_id))
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
    @acting_as("traveler")
    def confirm_cancel(self, actor):
        booking_id, self.confirm_id = self.confirm_id, ""
        if not booking_id:
            return
        try:
            booking = cancellations.cancel_booking(actor, parse_id(booking_id), {"expected_refund_cents": self.confirm_refund_cents})
        except DomainError:
            self._reload()
            raise
        refund = format_usd(booking.refund_cents)
        self.notice = (f"Booking cancelled. {refund} ({booking.refund_percent}%) goes back to your card."
                       if booking.refund_cents else "Booking cancelled. There is no refund this close to the launch.")
        self._reload()
