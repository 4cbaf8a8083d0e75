"""The frame around every page, in Chromium: the skip link, the menu a phone gets instead of the
header links (Esc closes it, "Sign out" is in it), lists that tell loading, unreachable server
and empty apart, the styled 404 page, and the API docs working with no network beyond the server."""
import re

from playwright.sync_api import expect

from tests.e2e.flows import sign_in

PHONE = {"width": 390, "height": 844}


def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(page):
    page.goto("/launches")
    page.keyboard.press("Tab")
    skip = page.locator("#skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_in_viewport()  # shown while it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


def test_phone_menu_holds_the_links_and_sign_out_and_closes_on_escape(page):
    page.set_viewport_size(PHONE)
    sign_in(page, "agency@example.com")
    expect(page.locator("#sign-out")).to_be_hidden()  # the header's own copy: desktop only
    menu = page.locator("#nav-menu")
    menu.click()
    content = page.locator("#nav-menu-content")
    expect(content.get_by_role("link", name="Rockets")).to_be_visible()
    expect(content.locator("#nav-user-menu")).to_have_text("agency@example.com")
    page.keyboard.press("Escape")
    expect(content).to_be_hidden()
    expect(menu).to_be_focused()  # focus goes back to the button that opened it
    menu.click()
    content.get_by_role("link", name="Rockets").click()
    expect(page).to_have_url(re.compile(r"/agency/rockets$"))
    page.locator("#nav-menu").click()
    page.locator("#sign-out-menu").click()
    # The sign-out answers with a new page: the menu works once that page has hydrated.
    expect(page.locator("main")).to_have_attribute("data-hydrated", "true")
    expect(page.locator("#nav-user")).to_have_count(0)
    page.locator("#nav-menu").click()
    expect(page.locator("#nav-menu-content").get_by_role("link", name="Sign in")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _refuse(ws) -> None:
    """Plays a Socket.IO server that opens the transport and refuses the connection."""
    ws.send('0{"sid":"refused","upgrades":[],"pingInterval":25000,"pingTimeout":60000,"maxPayload":1000000}')
    # The client asks to join Reflex's namespace ("40/_event,{...}"): refused ("44/_event,{...}").
    ws.on_message(lambda message: ws.send('44/_event,{"message":"unreachable"}') if str(message).startswith("40") else None)


def test_a_list_says_loading_then_cannot_reach_the_server_not_that_it_is_empty(browser, server):
    context = browser.new_context(base_url=server)
    context.set_default_timeout(15_000)
    try:
        # The websocket opens but the server never answers: the page's data does not arrive.
        silent = context.new_page()
        silent.route_web_socket(re.compile(r"/_event"), lambda ws: None)
        silent.goto("/launches")
        expect(silent.locator("#list-loading")).to_have_text("Loading the launches…")
        expect(silent.locator("#no-results")).to_have_count(0)
        # The connection is refused (Socket.IO's connect error, as when the server is down): the
        # list says the server is out of reach.
        cut = context.new_page()
        cut.route_web_socket(re.compile(r"/_event"), _refuse)
        cut.goto("/")
        expect(cut.locator("#list-offline")).to_contain_text("Cannot reach the server")
        expect(cut.locator("#no-launches")).to_have_count(0)
    finally:
        context.close()


def test_a_confirmation_dialog_takes_focus_closes_on_escape_and_gives_focus_back(page):
    sign_in(page, "admin@example.com")
    page.goto("/admin")
    opener = page.locator("#users-table button", has_text="Disable").first
    opener.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    page.wait_for_function("() => !!document.activeElement.closest('[role=alertdialog]')")  # focus moved in
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('[role=alertdialog]')")  # trapped
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    expect(page.locator("#users-table")).not_to_contain_text("disabled")  # nothing was changed


def test_an_unknown_address_gets_the_404_page_inside_the_layout(page):
    page.goto("/no-such-page/at-all")
    expect(page.locator("h1")).to_have_text("404 · Page not found")
    expect(page.locator("nav[aria-label=Site]")).to_be_visible()
    expect(page.locator("#skip-link")).to_be_attached()
    page.locator("#not-found-launches").click()
    expect(page).to_have_url(re.compile(r"/launches$"))
    expect(page.locator("#launches-title")).to_be_visible()


def test_api_docs_render_with_no_network_but_the_server(browser, server):
    context = browser.new_context(base_url=server)
    context.set_default_timeout(30_000)
    elsewhere = []

    def only_the_server(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/api/docs")
        expect(page.locator(".opblock").first).to_be_visible()
        expect(page.locator(".opblock-summary-path", has_text="/api/bookings/{booking_id}/cancel")).to_be_visible()
        page.goto("/api/redoc")
        expect(page.get_by_text("/api/bookings/{booking_id}/cancel").first).to_be_attached()
        expect(page.locator("h1").first).to_contain_text("AstroBookings API")
        assert elsewhere == []
        # ReDoc's "powered by" logo is the one thing it fetches from elsewhere; the policy stops
        # it before any request and ReDoc then leaves it out.
        assert not [e for e in errors if "Content Security Policy" in e and "cdn.redoc.ly/redoc/logo" not in e], errors
    finally:
        context.close()
