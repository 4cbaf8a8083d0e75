"""A traveler's receipt for one booking: number, launch, seats, passengers, amount paid and any
refund, and what cancelling would refund from today. One set of facts (`receipt`) feeds both the
printable page and the PDF (the documents' one layout, services/kernel/documents.py), so they
never disagree. The same booking in the same state on the same day gives the same bytes."""
from services.core.formatting import human_date, plural, status_word, usd
from services.core.models.booking import BookingPublic
from services.core.settings import get_settings
from services.booking.bookings import get_booking
from services.kernel.actor import Actor
from services.kernel.documents import Column, CompanyDocument, seller_from

SEAT_COLUMNS = [Column("Description", 104), Column("Seats", 14, "RIGHT"), Column("Price", 30, "RIGHT"),
                Column("Amount", 30, "RIGHT")]
PASSENGER_COLUMNS = [Column("Name", 52), Column("Email", 62), Column("Phone", 36), Column("Born", 28)]


def receipt(actor: Actor, booking_id: int) -> dict:
    """The receipt of the traveler's own booking, in words; another traveler's answers 404.

    {"number", "title", "lines": [(label, value)], "passengers": [{"name", "email", "phone", "born"}],
     "refund_terms": [line]}"""
    return receipt_facts(get_booking(actor, booking_id))


def receipt_pdf(actor: Actor, booking_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the traveler's own booking; another traveler's answers 404 (the
    system, attaching it to the confirmation email, reads any)."""
    booking = get_booking(actor, booking_id)
    return f"astrobookings-booking-{booking.id}.pdf", render_receipt(booking)


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


def render_receipt(b: BookingPublic) -> bytes:
    """The receipt in the documents' one layout (services/kernel/documents.py)."""
    facts, launch = receipt_facts(b), b.launch
    pdf = CompanyDocument("Receipt", f"Booking #{b.id}", b.created_at, seller_from(get_settings()))
    paid = usd(b.amount_cents)
    pdf.facts([("Booking number", f"#{b.id}"), ("Booked on", human_date(b.created_at).split(",")[0]),
               ("Launch date", human_date(launch.date).split(",")[0]), ("Amount paid", paid)])
    seller = pdf.seller
    pdf.parties(("Issued by", [seller.name, seller.address, f"Tax id {seller.tax_id}"]),
                ("Booked by", [b.traveler_email or (b.passengers[0].name if b.passengers else ""),
                               f"Booking {status_word(b.status).lower()}",
                               f"Payment reference {b.payment_ref}" if b.payment_ref else ""]))
    pdf.items(SEAT_COLUMNS, [[f"Seat on {launch.name}, from {launch.spaceport_name}, {human_date(launch.date)} "
                              f"({launch.agency_name}; launch {status_word(launch.status).lower()})",
                              str(b.seats), usd(b.amount_cents // max(b.seats, 1)), paid]])
    totals = [("Total paid", paid)]
    if b.refund_cents:
        refund_state = f", {b.refund_status.value}" if b.refund_status else ""
        totals = [("Paid", paid), (f"Refund ({b.refund_percent}%{refund_state})", usd(-b.refund_cents)),
                  ("Total kept", usd(b.amount_cents - b.refund_cents))]
    pdf.totals(totals)
    pdf.heading("Passengers")
    pdf.items(PASSENGER_COLUMNS, [[p["name"], p["email"], p["phone"], p["born"]] for p in facts["passengers"]])
    if facts["refund_terms"]:
        pdf.section("If you cancel", [f"- {line}" for line in facts["refund_terms"]])
    elif b.cancelled_at:
        pdf.section("Cancelled", [f"This booking was cancelled on {human_date(b.cancelled_at)}."])
    return pdf.bytes()
