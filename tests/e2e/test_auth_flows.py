"""A visitor registers and signs in; guards send people where their role allows."""
import re

from playwright.sync_api import expect

from tests.e2e.flows import expect_refused, register, sign_in, sign_out
from tests.helpers import PASSWORD, unique_email


def test_visitor_registers_reaches_traveler_portal_and_signs_out(page):
    email = unique_email("e2e")
    register(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/traveler/?$"))
    expect(page.locator("#portal-title")).to_be_visible()
    expect(page.locator("#nav-role")).to_have_text("traveler")
    sign_out(page)
    page.goto("/traveler")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/traveler"))


def test_register_form_names_the_bad_field(page):
    email = unique_email("e2e")
    register(page, email, "abcdefghijklmnop")
    # Beside its field, which is marked; what was typed stays.
    expect_refused(page, "password", "Password must mix letters with digits")
    expect(page.locator("#password")).to_have_attribute("aria-describedby", "password-error")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#address")).to_have_value("42 Orbit Road, Houston")


def test_anonymous_agency_goes_to_login_then_back(page):
    page.goto("/agency")
    expect(page).to_have_url(re.compile(r"/login/?\?next=/agency"))
    page.fill("#email", "agency@example.com")
    page.fill("#password", "Astro-Demo-2026!")
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/agency/?$"))


def test_traveler_on_agency_page_sees_403(page):
    sign_in(page, "traveler@example.com")
    page.goto("/agency")
    expect(page.locator("#forbidden-title")).to_be_visible()
    expect(page.get_by_text("Agency dashboard")).to_have_count(0)


def test_admin_creates_agency_account_that_then_signs_in(page, new_page):
    sign_in(page, "admin@example.com")
    page.goto("/admin")
    email = unique_email("e2e-agency")
    page.fill("#name", "Nebula Transit")
    page.fill("#email", email)
    # A weak password is refused beside its field; the rest of the form stays as typed.
    page.fill("#password", "abcdefghijklmnop")
    page.select_option("#role", "agency")
    page.click("#create-user-submit")
    expect(page.locator("#password-error")).to_contain_text("Password must mix letters with digits")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#role")).to_have_value("agency")
    page.fill("#password", PASSWORD)
    page.click("#create-user-submit")
    expect(page.locator("#form-success")).to_contain_text(email)
    expect(page.locator("#email")).to_have_value("")  # created: the form starts afresh

    agency = new_page()
    sign_in(agency, email, PASSWORD)
    expect(agency.locator("#nav-role")).to_have_text("agency")
    agency.goto("/agency")
    expect(agency.locator("#portal-title")).to_be_visible()
