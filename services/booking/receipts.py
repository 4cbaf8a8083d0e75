"""A traveler's receipt for one booking, as PDF (fpdf2): number, launch, seats, passengers, amount
paid and any refund. The same booking in the same state gives the same bytes (dates are the
booking's own; nothing random is written)."""
from fpdf import FPDF

from astrobookings.formatting import human_date, plural, status_word, usd
from astrobookings.models.booking import BookingPublic
from services.booking.bookings import get_booking
from services.kernel.actor import Actor


def _latin1(text: str) -> str:
    # The core PDF fonts speak Latin-1: anything else reads as "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def receipt_pdf(actor: Actor, booking_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the traveler's own booking; another traveler's answers 404."""
    booking = get_booking(actor, booking_id)
    return f"astrobookings-booking-{booking.id}.pdf", _render(booking)


def _render(b: BookingPublic) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(b.created_at)
    pdf.set_title(f"Booking {b.id}")
    pdf.set_author("AstroBookings")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _latin1(f"Receipt - booking #{b.id}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    launch = b.launch
    lines = [
        f"Booked on {human_date(b.created_at)} ({b.status.value})",
        f"Launch: {launch.name}, {launch.agency_name}, from {launch.spaceport_name}",
        f"Launch date: {human_date(launch.date)} - {status_word(launch.status)}",
        f"Seats: {plural(b.seats, 'seat')}",
        f"Paid: {usd(b.amount_cents)}",
    ]
    if b.refund_cents:
        lines.append(f"Refund: {usd(b.refund_cents)} ({b.refund_percent}%)"
                     + (f", {b.refund_status.value}" if b.refund_status else ""))
    lines.append("Passengers:")
    lines += [f"  {i}. {p.name} ({p.email}, {p.phone}), born {p.birth_date.isoformat()}"
              for i, p in enumerate(b.passengers, start=1)]
    for line in lines:
        pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
