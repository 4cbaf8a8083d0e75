import reflex as rx

from components.layout import protected
from state.session import SessionState


def welcome(title: str, blurb: str) -> rx.Component:
    """A portal's landing until its features arrive."""
    return protected(
        rx.heading(title, size="7", id="portal-title"),
        rx.text("Welcome, ", SessionState.user_name, ".", size="4"),
        rx.text(blurb, color_scheme="gray"),
    )
