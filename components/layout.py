"""Page frame: a navbar that follows the role, a main column, and a guard wrapper."""
import reflex as rx

from state.session import SessionState

PORTAL_LINKS = {
    "traveler": [("My bookings", "/traveler"), ("Profile", "/traveler/profile")],
    "agency": [("Dashboard", "/agency"), ("Launches", "/agency/launches"), ("Rockets", "/agency/rockets"), ("Profile", "/agency/profile")],
    "finance": [("Finance", "/finance")],
    "it": [("IT", "/it")],
    "admin": [("Users", "/admin")],
}


def _nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, size="2", weight="medium", color_scheme="gray", high_contrast=True)


def _role_links() -> rx.Component:
    return rx.match(
        SessionState.user_role,
        *[(role, rx.hstack(*[_nav_link(l, h) for l, h in links], spacing="4")) for role, links in PORTAL_LINKS.items()],
        rx.fragment(),
    )


def navbar() -> rx.Component:
    return rx.hstack(
        rx.link(rx.hstack(rx.icon("rocket", size=20), rx.heading("AstroBookings", size="4"), align="center", spacing="2"),
                href="/", underline="none", color_scheme="gray", high_contrast=True),
        _nav_link("Launches", "/launches"),
        _role_links(),
        rx.spacer(),
        rx.cond(
            SessionState.signed_in,
            rx.hstack(
                rx.text(SessionState.user_email, size="2", color_scheme="gray", id="nav-user"),
                rx.badge(SessionState.user_role, id="nav-role"),
                rx.button("Sign out", on_click=SessionState.sign_out, variant="soft", size="2", id="sign-out"),
                align="center", spacing="3",
            ),
            rx.hstack(
                rx.link(rx.button("Sign in", variant="soft", size="2"), href="/login"),
                rx.link(rx.button("Register", size="2"), href="/register"),
                spacing="2",
            ),
        ),
        align="center", spacing="5", padding_x="1.5em", padding_y="0.8em",
        border_bottom="1px solid var(--gray-a5)", width="100%", as_="nav",
    )


def layout(*children: rx.Component, width: str = "64em") -> rx.Component:
    return rx.box(
        navbar(),
        rx.box(rx.vstack(*children, spacing="4", width="100%"), as_="main",
               max_width=width, margin_x="auto", padding="1.5em", width="100%"),
        on_mount=SessionState.refresh,
    )


def protected(*children: rx.Component, width: str = "64em") -> rx.Component:
    """Shows the content only once the server has checked the role (SessionState.guard)."""
    return layout(rx.cond(SessionState.authorized, rx.vstack(*children, spacing="4", width="100%"),
                          rx.center(rx.spinner(size="3"), padding="4em")), width=width)


def error_callout(message: rx.Var) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", id="form-error"))


def success_callout(message: rx.Var) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="check", color_scheme="green", role="status", id="form-success"))
