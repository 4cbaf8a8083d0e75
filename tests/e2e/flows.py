"""Browser steps shared by the end-to-end tests."""
import re

from playwright.sync_api import Page, expect

from astrobookings.dev.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD, next_path: str | None = None) -> None:
    page.goto("/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    expect(page.locator("#nav-user")).to_have_text(email)


def sign_out(page: Page) -> None:
    page.click("#sign-out")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def register(page: Page, email: str, password: str, *, name: str = "Eve Explorer", tax_id: str = "TX-E2E") -> None:
    """Fill and send the registration form (the caller checks where it lands)."""
    page.goto("/register")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#phone", "+1 555 0199")
    page.fill("#tax_id", tax_id)
    page.fill("#address", "42 Orbit Road, Houston")
    page.click("#register-submit")


def expect_refused(page: Page, field: str, message: str) -> None:
    """The refusal stands beside its field, which is marked invalid and described by it."""
    expect(page.locator(f"#{field}-error")).to_contain_text(message)
    expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field}")).to_have_attribute("aria-describedby", re.compile(rf"\b{field}-error\b"))


# Interacting with a page before its loaders ran loses the input (a loader may remount a form).
# An app page has no `main` until React draws it: wait for it there (only pages that are not the
# app's, like /api/docs, have none for good).
_HYDRATED = ("() => { const m = document.querySelector('main');"
             " return m ? m.dataset.hydrated === 'true' : !window.__reactRouterContext; }")


def settled(pg: Page) -> Page:
    """Makes `goto` return once the Reflex page has hydrated and run its loaders."""
    plain_goto = pg.goto

    def goto(url, **kwargs):
        response = plain_goto(url, **kwargs)
        if response is None or "text/html" in (response.headers.get("content-type") or ""):
            pg.wait_for_function(_HYDRATED)
        return response

    pg.goto = goto
    return pg
