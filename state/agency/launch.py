from typing import ClassVar

import reflex as rx

from services.agency import reports as launch_reports
from services.agency import launches
from services.agency.rules import ABORT_REASONS
from services.kernel.errors import DomainError
from services.core.formatting import plural
from state.agency.shared import launch_row, usd, when
from state.handlers import Feedback, acting_as
from state.params import parse_id
from state.session import PortalState

CONFIRM_TEXT = {
    "aborted": "Abort this launch ({reason})? Every confirmed booking is cancelled and refunded in full. This cannot be undone.",
    "launched": "Mark this launch as launched (a successful flight)? This cannot be undone.",
    "failed": "Mark this launch as failed? This cannot be undone.",
}


class AgencyLaunchState(PortalState, Feedback):
    form_fields: ClassVar[frozenset[str]] = frozenset({"date", "reason"})  # the delay form's
    current_id: int = 0
    # Bumped after a delay is saved, so its form starts empty; a refused one keeps what was typed.
    form_version: int = 0
    found: bool = False
    info: dict[str, str] = {}
    version: int = 0
    moves: list[str] = []
    money: dict[str, str] = {}
    passengers: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    # The terminal move waiting for confirmation ("aborted", "launched", "failed").
    pending: str = ""
    abort_reason: str = ABORT_REASONS[0]

    @rx.var
    def confirm_text(self) -> str:
        return CONFIRM_TEXT.get(self.pending, "").format(reason=self.abort_reason)

    @rx.var
    def can_delay(self) -> bool:
        return "delayed" in self.moves

    @rx.var
    def can_record_outcome(self) -> bool:
        """Launched / failed are offered only once the launch date has come."""
        return "launched" in self.moves

    def _id_from_path(self) -> int:
        return parse_id(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])

    def _reload(self, actor) -> None:
        try:
            detail, people = launch_reports.launch_page(actor, self.current_id)
        except DomainError as exc:
            self.found, self.error = False, exc.message
            return
        self.found, self.version, self.moves = True, detail.version, detail.allowed_moves
        self.info = {**launch_row(detail), "abort_reason": detail.abort_reason or "", "free": str(detail.seats_free)}
        self.money = {"paid": usd(detail.paid_cents), "refunded": usd(detail.refunded_cents),
                      "collected": usd(detail.collected_cents), "bookings": plural(detail.bookings, "booking")}
        self.passengers = [{"booking": str(p.booking_id), "name": p.name, "email": p.email, "phone": p.phone,
                            "birth_date": p.birth_date.isoformat(), "booked_by": p.booked_by, "status": p.status,
                            "seats": str(p.seats), "paid": usd(p.paid_cents),
                            "refunded": f"{usd(p.refund_cents)} ({p.refund_percent}%)" if p.status == "cancelled" else ""}
                           for p in people]
        self.history = [{"at": when(h.at), "change": f"{h.from_status.value} → {h.to_status.value}",
                         "reason": h.reason or "", "new_date": when(h.new_date), "by": h.actor_email or ""}
                        for h in reversed(detail.history)]

    @rx.event
    def load(self):
        self._reset_portal()
        actor = self.actor_with("agency")
        if actor is None:
            return
        self.current_id = self._id_from_path()
        self._reload(actor)

    @acting_as("agency", refused="Only agencies may change a launch.")
    def _change(self, actor, body: dict) -> None:
        try:
            launch = launches.change_status(actor, self.current_id, {**body, "version": self.version})
        finally:  # refused or not, show the launch as it stands now
            self._reload(actor)
        self.notice = f"The launch is now {launch.status.value}."

    @rx.event
    def delay(self, form: dict):
        self._change({"status": "delayed", "date": form.get("date") or None, "reason": form.get("reason", "")})
        if not self.error:
            self.form_version += 1

    @rx.event
    def ask(self, status: str):
        self.error, self.notice = "", ""
        self.pending = status if status in CONFIRM_TEXT else ""

    @rx.event
    def set_abort_reason(self, reason: str):
        self.abort_reason = reason if reason in ABORT_REASONS else ABORT_REASONS[0]

    @rx.event
    def cancel_confirm(self):
        self.pending = ""

    @rx.event
    def confirm(self):
        status, self.pending = self.pending, ""
        if status:
            self._change({"status": status, "reason": self.abort_reason if status == "aborted" else None})

    @rx.event
    @acting_as("agency")
    def download_manifest(self, actor):
        filename, body = launch_reports.manifest_csv(actor, self.current_id)
        return rx.download(data=body, filename=filename, mime_type="text/csv")
