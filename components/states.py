"""What a list shows before, instead of, or besides its rows: loading (the page's data has not
arrived yet), cannot reach the server (the websocket is down), could not load (the server failed
to fetch it), or empty (it has no rows). Each is worded differently, so nobody reads "no launch
is open" when the truth is "still loading" or "the server is unreachable"."""
import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from state.session import SessionState

OFFLINE = "Cannot reach the server. Check your connection; the page reconnects by itself."


def loading(what: str) -> rx.Component:
    return rx.hstack(rx.spinner(size="2"), rx.text(f"Loading {what}…", size="2", color_scheme="gray"),
                     align="center", spacing="2", padding_y="1em", role="status", aria_busy="true", id="list-loading")


def offline() -> rx.Component:
    return rx.callout(OFFLINE, icon="wifi-off", color_scheme="amber", role="alert", id="list-offline", width="100%")


def load_failed(message: rx.Var) -> rx.Component:
    return rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", id="list-error", width="100%")


def list_states(content: rx.Component, *, what: str, empty: rx.Var, empty_view: rx.Component,
                error: rx.Var | str = "") -> rx.Component:
    """`content` once the page's data is in and not empty; `error` is the loader's failure
    (state.handlers.loads), `empty` whether there is nothing to show."""
    return rx.cond(
        error != "" if isinstance(error, rx.Var) else False,
        load_failed(error),
        rx.cond(
            SessionState.is_hydrated,
            rx.cond(empty, empty_view, content),
            rx.cond(has_connection_errors, offline(), loading(what)),
        ),
    )


def connection_banner() -> rx.Component:
    """Every page: the connection dropped after the page loaded, so what it shows may be stale and
    its buttons will wait. (Before the page loaded, its lists say so themselves.)"""
    return rx.cond(has_connection_errors & SessionState.is_hydrated,
                   rx.callout(OFFLINE, icon="wifi-off", color_scheme="amber", role="alert", id="offline-banner",
                              width="100%"))
