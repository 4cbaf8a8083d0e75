"""Page frame: a skip link, a navbar that follows the role (a menu on narrow screens), a main
column, and a guard wrapper."""
import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML
from reflex_components_core.react_router.dom import ReactRouterLink

from components.session import native_form, session_handoff
from components.states import connection_banner
from state.session import SessionState

# Below Radix's `md` breakpoint (1024 px) the links fold into a menu: the agency's six links, its
# e-mail address and "Sign out" need about 1000 px in one row.
WIDE = rx.breakpoints(initial="none", md="flex")
NARROW = rx.breakpoints(initial="flex", md="none")

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


def link_button(label, href, **button_props) -> rx.Component:
    """A link that looks like a button (a link wrapped around a button is two controls in one)."""
    return rx.button(ReactRouterLink.create(label, to=href), as_child=True, **button_props)


def _nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, size="2", weight="medium", color_scheme="gray", high_contrast=True)


def _role_links(direction: str = "row") -> rx.Component:
    stack = rx.hstack if direction == "row" else rx.vstack
    return rx.match(
        SessionState.user_role,
        *[(role, stack(*[_nav_link(l, h) for l, h in links], spacing="4" if direction == "row" else "3", wrap="wrap"))
          for role, links in PORTAL_LINKS.items()],
        rx.fragment(),
    )


def _bell() -> rx.Component:
    """Travelers and agencies: the unread notifications, counted when the page mounts."""
    from state.inbox import InboxState

    return rx.cond((SessionState.user_role == "traveler") | (SessionState.user_role == "agency"), rx.link(
        rx.hstack(rx.icon("bell", size=18), rx.badge(InboxState.unread, id="bell-count", variant="solid", high_contrast=True,
                                                      color_scheme=rx.cond(InboxState.unread > 0, "red", "gray")),
                  spacing="1", align="center", on_mount=InboxState.count),
        href="/notifications", aria_label="Notifications", id="bell", color_scheme="gray", high_contrast=True))


def _account(suffix: str = "") -> rx.Component:
    """Who is signed in and "Sign out", or "Sign in" and "Register". `suffix` keeps the ids of the
    narrow-screen menu's copy apart from the wide header's."""
    return rx.cond(
        SessionState.signed_in,
        rx.flex(
            rx.text(SessionState.user_email, size="2", color_scheme="gray", high_contrast=True, id="nav-user" + suffix,
                    style={"overflow_wrap": "anywhere"}),
            rx.badge(SessionState.user_role, id="nav-role" + suffix),
            # A plain form post: the server revokes the token and clears the HttpOnly cookie,
            # and the page it answers with starts a fresh websocket without it.
            native_form(rx.button("Sign out", type="submit", variant="soft", size="2", id="sign-out" + suffix),
                        action="/api/auth/sign-out", method="post", id="sign-out-form" + suffix),
            align="center", spacing="3", wrap="wrap",
        ),
        rx.hstack(link_button("Sign in", "/login", variant="soft", size="2"),
                  link_button("Register", "/register", size="2"), spacing="2"),
    )


def _menu() -> rx.Component:
    """Narrow screens: the links and the account in a popover (it takes focus, Esc closes it)."""
    return rx.popover.root(
        rx.popover.trigger(rx.icon_button(rx.icon("menu"), variant="soft", size="2", aria_label="Menu", id="nav-menu")),
        rx.popover.content(
            rx.vstack(_nav_link("Launches", "/launches"), _role_links("column"), rx.separator(size="4"),
                      _account("-menu"), spacing="3", align="start"),
            aria_label="Menu", max_width="min(20em, calc(100vw - 2em))", id="nav-menu-content",
        ),
    )


def navbar() -> rx.Component:
    return rx.el.nav(rx.hstack(
        rx.link(rx.hstack(rx.image(src="/logo.svg", alt="", width="28px", height="28px"),
                          rx.text("AstroBookings", size="4", weight="bold"), align="center", spacing="2"),
                href="/", underline="none", color_scheme="gray", high_contrast=True, aria_label="AstroBookings home"),
        rx.hstack(_nav_link("Launches", "/launches"), _role_links(), spacing="4", display=WIDE, wrap="wrap"),
        rx.spacer(),
        _bell(),
        rx.box(_account(), display=WIDE),
        rx.box(_menu(), display=NARROW),
        align="center", spacing="4", padding_x=rx.breakpoints(initial="1em", sm="1.5em"), padding_y="0.8em",
        border_bottom="1px solid var(--gray-a5)", width="100%",
        # rx.el.nav, not as_="nav": Radix's Flex draws only a div. Not printed (receipts print clean).
    ), aria_label="Site", width="100%", style={"@media print": {"display": "none"}})


class _Anchor(BaseHTML):
    """A plain <a>: Reflex makes every rx.el.a a router link, which resolves "#main" against the
    route (a navigation to "/page/#main") instead of jumping within the page."""
    tag = "a"
    href: rx.Var[str]


def _skip_link() -> rx.Component:
    """First in the tab order: jumps past the navigation to the page's content."""
    return _Anchor.create("Skip to content", href="#main", id="skip-link", style={
        "position": "absolute", "left": "-10000px", "top": "0.5em", "z_index": "100", "padding": "0.5em 1em",
        "background": "var(--color-background)", "color": "var(--accent-12)", "border_radius": "var(--radius-2)",
        "&:focus": {"left": "0.5em", "outline": "2px solid var(--accent-8)"}})


def layout(*children: rx.Component, width: str = "64em") -> rx.Component:
    return rx.box(
        _skip_link(),
        session_handoff(code=SessionState.handoff, target=SessionState.handoff_to),
        rx.el.header(navbar()),
        # data-hydrated tells a browser test the page's loaders have run (Reflex sets it after on_load).
        # tabindex -1: the skip link moves the keyboard focus here, not only the scroll position.
        # rx.el.main, not rx.box(as_="main"): Radix's Box draws only a div or a span.
        rx.el.main(rx.vstack(connection_banner(), *children, spacing="4", width="100%"), id="main", tab_index=-1,
               max_width=width, margin_x="auto", padding=rx.breakpoints(initial="1em", sm="1.5em"), width="100%",
               outline="none", custom_attrs={"data-hydrated": SessionState.is_hydrated}),
        on_mount=SessionState.refresh,
    )


def protected(*children: rx.Component, width: str = "64em") -> rx.Component:
    """Shows the content only once the server has checked the role (SessionState.guard)."""
    return layout(rx.cond(SessionState.authorized, rx.vstack(*children, spacing="4", width="100%"),
                          rx.center(rx.spinner(size="3"), padding="4em", aria_busy="true", role="status",
                                    aria_label="Loading")), width=width)


def error_callout(message: rx.Var) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", id="form-error"))


def success_callout(message: rx.Var) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="check", color_scheme="green", role="status", id="form-success"))
