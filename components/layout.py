"""Page frame: a navbar that follows the role, a main column, and a guard wrapper."""
import reflex as rx

from components.session import native_form, session_handoff
from state.session import SessionState

PORTAL_LINKS = {
    "traveler": [("My bookings", "/traveler"), ("Profile", "/traveler/profile")],
    "agency": [("Dashboard", "/agency"), ("Launches", "/agency/launches"), ("Rockets", "/agency/rockets"),
               ("Invoices", "/agency/invoices"), ("Profile", "/agency/profile")],
    "finance": [("Dashboard", "/finance"), ("Invoices", "/finance/invoices"), ("Ended launches", "/finance/launches"),
                ("Reports", "/finance/reports")],
    "it": [("Status", "/it"), ("Sync", "/it/sync"), ("Logs", "/it/logs"), ("Metrics", "/it/metrics"),
           ("Notifications", "/it/notifications")],
    "admin": [("Users", "/admin"), ("IT", "/it")],
}


def _nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, size="2", weight="medium", color_scheme="gray", high_contrast=True)


def _role_links() -> rx.Component:
    return rx.match(
        SessionState.user_role,
        *[(role, rx.hstack(*[_nav_link(l, h) for l, h in links], spacing="4")) for role, links in PORTAL_LINKS.items()],
        rx.fragment(),
    )


def _bell() -> rx.Component:
    """Travelers and agencies: the unread notifications, counted when the page mounts."""
    from state.inbox import InboxState

    return rx.cond((SessionState.user_role == "traveler") | (SessionState.user_role == "agency"), rx.link(
        rx.hstack(rx.icon("bell", size=18), rx.badge(InboxState.unread, id="bell-count", variant="solid",
                                                      color_scheme=rx.cond(InboxState.unread > 0, "red", "gray")),
                  spacing="1", align="center", on_mount=InboxState.count),
        href="/notifications", aria_label="Notifications", id="bell", color_scheme="gray", high_contrast=True))


def navbar() -> rx.Component:
    # rx.el.nav, not as_="nav": Radix's Flex draws only a div. Not printed (receipts print clean).
    return rx.el.nav(rx.hstack(
        rx.link(rx.hstack(rx.image(src="/logo.svg", alt="", width="28px", height="28px"), rx.heading("AstroBookings", size="4"),
                          align="center", spacing="2"),
                href="/", underline="none", color_scheme="gray", high_contrast=True),
        _nav_link("Launches", "/launches"),
        _role_links(),
        rx.spacer(),
        rx.cond(
            SessionState.signed_in,
            rx.hstack(
                _bell(),
                rx.text(SessionState.user_email, size="2", color_scheme="gray", id="nav-user"),
                rx.badge(SessionState.user_role, id="nav-role"),
                # A plain form post: the server revokes the token and clears the HttpOnly cookie,
                # and the page it answers with starts a fresh websocket without it.
                native_form(rx.button("Sign out", type="submit", variant="soft", size="2", id="sign-out"),
                            action="/api/auth/sign-out", method="post", id="sign-out-form"),
                align="center", spacing="3",
            ),
            rx.hstack(
                rx.link(rx.button("Sign in", variant="soft", size="2"), href="/login"),
                rx.link(rx.button("Register", size="2"), href="/register"),
                spacing="2",
            ),
        ),
        align="center", spacing="5", padding_x="1.5em", padding_y="0.8em",
        border_bottom="1px solid var(--gray-a5)", width="100%",
    ), aria_label="Site", width="100%", style={"@media print": {"display": "none"}})


def layout(*children: rx.Component, width: str = "64em") -> rx.Component:
    return rx.box(
        session_handoff(code=SessionState.handoff, target=SessionState.handoff_to),
        navbar(),
        # data-hydrated tells a browser test the page's loaders have run (Reflex sets it after on_load).
        # rx.el.main, not rx.box(as_="main"): Radix's Box draws only a div or a span.
        rx.el.main(rx.vstack(*children, spacing="4", width="100%"),
                   max_width=width, margin_x="auto", padding="1.5em", width="100%",
                   custom_attrs={"data-hydrated": SessionState.is_hydrated}),
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
