"""One booking's receipt as a page the traveler can print (the same facts as its PDF)."""
import reflex as rx

from services.booking import receipts
from state.handlers import Feedback, acting_as
from state.params import parse_id
from state.session import PortalState


class ReceiptState(PortalState, Feedback):
    booking_id: int = 0
    title: str = ""
    lines: list[dict[str, str]] = []
    passengers: list[dict[str, str]] = []
    refund_terms: list[str] = []

    def _id_from_path(self) -> int:
        # /traveler/bookings/<id>/receipt
        return parse_id(self.router.url.path.rstrip("/").rsplit("/", 2)[-2])

    @rx.event
    @acting_as("traveler", reset=True)
    def load(self, actor):
        facts = receipts.receipt(actor, self._id_from_path())
        self.booking_id, self.title = int(facts["number"]), facts["title"]
        self.lines = [{"label": label, "value": value} for label, value in facts["lines"]]
        self.passengers, self.refund_terms = facts["passengers"], facts["refund_terms"]

    @rx.event
    @acting_as("traveler")
    def download_pdf(self, actor):
        # From the page's own session: the REST route would need a bearer token.
        filename, body = receipts.receipt_pdf(actor, self.booking_id)
        return rx.download(data=body, filename=filename, mime_type="application/pdf")
