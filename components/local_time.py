"""Dates in the visitor's time zone (assets/local_time.js), the UTC on hover and before scripts run."""
import reflex as rx


class LocalTime(rx.Component):
    library = "$/public/local_time.js"
    tag = "LocalTime"
    iso: rx.Var[str]
    utc: rx.Var[str]


def local_time(iso, utc, id: str | None = None) -> rx.Component:
    """`iso` is the moment (ISO 8601 with its offset), `utc` how the server writes it."""
    return LocalTime.create(iso=iso, utc=utc, **({"id": id} if id else {}))
