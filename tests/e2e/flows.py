"""Browser steps shared by the end-to-end tests."""
from playwright.sync_api import Page, expect

from astrobookings.demo import DEMO_PASSWORD


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD, next_path: str | None = None) -> None:
    page.goto("/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    expect(page.locator("#nav-user")).to_have_text(email)


def sign_out(page: Page) -> None:
    page.click("#sign-out")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
