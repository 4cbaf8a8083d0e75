"""Catalog cards as the pages show them: plain strings, formatted once on the server."""
from services.core.models.catalog import LaunchCardPublic
from services.core.formatting import usd as format_usd
from services.core.formatting import human_date, iso_utc
from services.booking.seo import seats_text


def card_row(card: LaunchCardPublic) -> dict[str, str]:
    return {
        "id": str(card.id), "slug": card.slug, "name": card.name, "url": card.url, "agency": card.agency_name,
        "rocket": card.rocket_name, "spaceport": card.spaceport_name, "destination": card.destination_name,
        "date": human_date(card.date), "iso": iso_utc(card.date), "price": format_usd(card.price_cents), "seats": seats_text(card),
        "status": card.status, "open": "yes" if card.bookable else "",
    }
