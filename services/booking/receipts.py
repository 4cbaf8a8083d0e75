"""A traveler's receipt for one booking: number, launch, seats, passengers, amount paid and any
refund. One set of facts (`receipt`) feeds both the printable page and the PDF (fpdf2), so they
never disagree. The same booking in the same state gives the same bytes (dates are the
booking's own; nothing random is written)."""
from fpdf import FPDF

from astrobookings.formatting import human_date, plural, status_word, usd
from astrobookings.models.booking import BookingPublic
from services.booking.bookings import get_booking
from services.kernel.actor import Actor


def receipt(actor: Actor, booking_id: int) -> dict:
    """The receipt of the traveler's own booking, in words; another traveler's answers 404.

    {"number", "title", "lines": [(label, value)], "passengers": [{"name", "email", "phone", "born"}],
     "refund_terms": [line]}"""
    return receipt_facts(get_booking(actor, booking_id))


def receipt_pdf(actor: Actor, booking_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the traveler's own booking; another traveler's answers 404."""
    booking = get_booking(actor, booking_id)
    return f"astrobookings-booking-{booking.id}.pdf", _render(booking)


def receipt_facts(b: BookingPublic) -> dict:
    launch = b.launch
    lines = [
        ("Booking number", f"#{b.id}"),
        ("Booked on", human_date(b.created_at)),
        ("Booking status", status_word(b.status)),
        ("Launch", launch.name),
        ("Agency", launch.agency_name),
        ("From", launch.spaceport_name),
        ("Launch date", human_date(launch.date)),
        ("Launch status", status_word(launch.status)),
        ("Seats", plural(b.seats, "seat")),
        ("Paid", usd(b.amount_cents)),
    ]
    if b.payment_ref:
        lines.append(("Payment reference", b.payment_ref))
    if b.refund_cents:
        lines.append(("Refund", f"{usd(b.refund_cents)} ({b.refund_percent}%)"
                      + (f", {b.refund_status.value}" if b.refund_status else "")))
    return {
        "number": str(b.id), "title": f"Receipt - booking #{b.id}", "lines": lines,
        "passengers": [{"name": p.name, "email": p.email, "phone": p.phone or "", "born": p.birth_date.isoformat()}
                       for p in b.passengers],
        # What cancelling refunds from today on; none once the booking can no longer be cancelled.
        "refund_terms": list(b.cancel_quote.terms) if b.cancel_quote else [],
    }


def _latin1(text: str) -> str:
    # The core PDF fonts speak Latin-1: anything else reads as "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def _render(b: BookingPublic) -> bytes:
    facts = receipt_facts(b)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(b.created_at)
    pdf.set_title(f"Booking {b.id}")
    pdf.set_author("AstroBookings")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _latin1(facts["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    lines = [f"{label}: {value}" for label, value in facts["lines"]]
    lines.append("Passengers:")
    lines += [f"  {i}. {p['name']} ({p['email']}, {p['phone']}), born {p['born']}"
              for i, p in enumerate(facts["passengers"], start=1)]
    if facts["refund_terms"]:
        lines += ["If you cancel:"] + [f"  {line}" for line in facts["refund_terms"]]
    for line in lines:
        pdf.multi_cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
