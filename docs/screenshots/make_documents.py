"""Pictures of what travelers and agencies keep, rendered by the code that makes them, so they
never drift from it: the invoice PDF, the receipt PDF and the booking confirmation email.

    .venv/bin/python docs/screenshots/make_documents.py

Needs `pdftoppm` (Debian's poppler-utils) and Chromium (/usr/bin/chromium or $CHROMIUM). The
documents are filled with sample facts (no store is read); the PDF and email code is the real one.
Writes docs/screenshots/invoice.png, receipt.png and confirmation-email.png."""
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from services.core.formatting import human_date, usd  # noqa: E402
from services.core.models.booking import BookingLaunch, BookingPublic, CancelQuotePublic, PassengerPublic  # noqa: E402
from services.core.models.finance import InvoiceDetail, InvoiceLinePublic  # noqa: E402
from services.booking.receipts import render_receipt  # noqa: E402
from services.booking.rules import cancel_quote, refund_policy  # noqa: E402
from services.finance.pdf import invoice_pdf  # noqa: E402
from services.notify import templates  # noqa: E402

BOOKED = datetime(2026, 12, 4, 10, 15, tzinfo=timezone.utc)
LAUNCH = BookingLaunch(id=42, slug="2027-12-14-aurora-kourou-to-mars", name="Aurora to Mars", status="scheduled",
                       date=datetime(2027, 12, 14, 14, 30, tzinfo=timezone.utc), destination="mars",
                       destination_name="Mars", spaceport="kourou", spaceport_name="Guiana Space Centre, Kourou",
                       rocket_name="Aurora", agency_name="Orbital Tours Inc.", price_cents=12_500_000)


def sample_invoice() -> InvoiceDetail:
    lines = [InvoiceLinePublic(description="Platform fee: 0.8% of net revenue $1,125,000.00 (reliable agency rate), "
                                           "Aurora to Mars on 2027-12-14", quantity=1, unit_cents=900_000,
                               amount_cents=900_000)]
    return InvoiceDetail(
        id=7, number="AB-2027-00012", kind="launch_fee", status="pending", launch_id=42, agency_id=3,
        legal_date=date(2027, 12, 15), due_date=date(2028, 1, 14), lines=lines, total_cents=900_000, paid_cents=0,
        outstanding_cents=900_000, currency="USD",
        seller={"name": "AstroBookings Ltd.", "address": "1 Launch Lane, Cape Canaveral, FL 32920, USA",
                "tax_id": "US-00-0000000"},
        buyer={"name": "Orbital Tours Inc.", "address": "88 Orbit Avenue, Houston, TX 77058, USA",
               "tax_id": "VAT-12345", "email": "billing@orbital-tours.example"},
        cancels_invoice_id=None, issued_by="system", created_at=datetime(2027, 12, 15, 12, tzinfo=timezone.utc),
        launch_slug=LAUNCH.slug)


def sample_booking() -> BookingPublic:
    quote = cancel_quote(25_000_000, 2, BOOKED, LAUNCH.date)
    return BookingPublic(
        id=1042, launch_id=42, status="confirmed", seats=2, amount_cents=25_000_000, refund_cents=0, refund_percent=0,
        payment_ref="ch_sandbox_7f3a9c", created_at=BOOKED, traveler_email="nova@example.com",
        passengers=[PassengerPublic(id=1, name="Nova Voyager", email="nova@example.com", phone="+1 555 0100",
                                    birth_date=date(1980, 4, 12)),
                    PassengerPublic(id=2, name="Orion Voyager", email="orion@example.com", phone="+1 555 0178",
                                    birth_date=date(1982, 9, 30))],
        launch=LAUNCH, cancel_quote=CancelQuotePublic(refund_percent=quote.refund_percent, refund_cents=quote.refund_cents,
                                                      seats_return_to_sale=True, message=quote.message,
                                                      terms=list(quote.terms)))


def confirmation_html() -> str:
    return templates.render("booking_confirmed", {
        "name": "Nova Voyager", "booking_id": 1042, "seats": 2, "passengers": ["Nova Voyager", "Orion Voyager"],
        "amount": usd(25_000_000), "refund_terms": refund_policy(LAUNCH.date, BOOKED),
        "launch": {"name": "Aurora to Mars from Guiana Space Centre", "date": human_date(LAUNCH.date),
                   "url": f"https://astrobookings.example/launches/{LAUNCH.slug}"},
        "booking_url": "https://astrobookings.example/traveler/bookings/1042/receipt"}).html


def pdf_to_png(pdf: bytes, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(out.with_suffix(""))], check=True)


def html_to_png(html: str, out: Path) -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "mail.html"
        page.write_text(html)
        env = {**os.environ, "XDG_CONFIG_HOME": tmp, "XDG_CACHE_HOME": tmp, "HOME": tmp}
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--hide-scrollbars",
                        f"--screenshot={out}", "--window-size=760,640", page.as_uri()],
                       check=True, env=env, capture_output=True, timeout=60)


def main() -> None:
    pdf_to_png(invoice_pdf(sample_invoice()), HERE / "invoice.png")
    pdf_to_png(render_receipt(sample_booking()), HERE / "receipt.png")
    html_to_png(confirmation_html(), HERE / "confirmation-email.png")
    for name in ("invoice.png", "receipt.png", "confirmation-email.png"):
        print(HERE / name, (HERE / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
