"""Presentation helpers shared by the agency page states: money, dates and launch rows as text."""

from services.core.models.launch import LaunchPublic
from state.money import cents_from_usd  # noqa: F401  (agency forms read it here)
from services.core.formatting import status_color, status_value, usd, when  # noqa: F401  (agency states read them here)


def launch_row(launch: LaunchPublic) -> dict[str, str]:
    status = status_value(launch.status)
    return {
        "id": str(launch.id), "slug": launch.slug, "href": f"/agency/launches/{launch.id}", "date": when(launch.date),
        "rocket": launch.rocket_name, "spaceport": launch.spaceport_name, "destination": launch.destination_name,
        "status": status, "color": status_color(status), "price": usd(launch.price_cents),
        "seats": f"{launch.seats_sold} / {launch.seats_offered}",
    }
