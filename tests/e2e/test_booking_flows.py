"""A visitor finds a launch, registers, books, follows and cancels, while a second browser on the
launch page sees its free seats change without reloading; a traveler edits their profile."""
import random
import re
from datetime import date, datetime, timedelta, timezone

from playwright.sync_api import expect

from tests.booking_helpers import published_launch
from tests.e2e.flows import expect_refused, register, settled
from tests.helpers import PASSWORD, unique_email

_days = random.Random().sample(range(4000, 5000), 50)


def _day(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).date().isoformat()


def _register(page, email: str) -> None:
    register(page, email, PASSWORD, name="Nova Voyager", tax_id="TX-NOVA")
    expect(page).to_have_url(re.compile(r"/traveler/?$"))


def test_visitor_finds_books_follows_and_cancels_while_a_second_browser_watches(page, new_page, api):
    days = _days.pop()
    launch = published_launch(api, days=days, rocket="Aurora", destination="mars", price_cents=12_500_000)
    slug = launch["slug"]
    # The wizard, My bookings and the receipt run under the CSP (no eval): nothing is refused.
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto("/launches")
    page.select_option("#destination", "mars")
    page.fill("#from", _day(days))
    page.fill("#to", _day(days))
    page.fill("#max_price", "-5")
    page.click("#search-submit")
    expect_refused(page, "max_price", "0 or more")
    page.fill("#max_price", "200000")
    page.fill("#seats_needed", "2")
    page.click("#search-submit")
    expect(page.locator("#launch-count")).to_have_text("1 launch match")
    # The search is in the address: a reload (or a shared link) shows the same results.
    expect(page).to_have_url(re.compile(r"/launches\?destination=mars&from=.*&max_price=200000&seats_needed=2$"))
    page.reload()
    expect(page.locator("#launch-count")).to_have_text("1 launch match")
    expect(page.locator("#seats_needed")).to_have_value("2")
    page.click(f'.launch-card[data-slug="{slug}"]')
    expect(page).to_have_url(re.compile(f"/launches/{slug}$"))
    expect(page.locator("#launch-name")).to_have_text("Aurora to Mars")

    # The address a crawler or an email link uses: served with server-rendered HTML, then the app boots.
    page.goto(f"/launches/{slug}")
    expect(page).to_have_title(re.compile(r"^Aurora to Mars from Guiana Space Centre"))
    expect(page.locator("#seats-free")).to_have_text("6")
    expect(page.locator("#seo-content")).to_have_count(0)

    # A second browser stays on the launch page: its free seats follow the bookings, unreloaded.
    watcher = new_page()
    watcher.goto(f"/launches/{slug}")
    expect(watcher.locator("#seats-free")).to_have_text("6")
    watcher.evaluate("window.__sameDocument = true")

    email = unique_email("e2e-booker")
    _register(page, email)
    page.goto(f"/launches/{slug}")
    page.click("#book-button")
    expect(page).to_have_url(re.compile(f"/traveler/book/{slug}$"))
    expect(page.locator("#book-launch")).to_have_text("Aurora to Mars")
    page.select_option("#seats", "2")
    page.click("#seats-next")
    expect(page.locator("#p0_name")).to_have_value("Nova Voyager")
    # The new step's heading takes the focus (a screen reader announces the step).
    expect(page.locator('#step-heading[data-step="passengers"]')).to_be_focused()
    page.fill("#p0_birth_date", "1980-04-12")
    page.fill("#p1_name", "Orion Voyager")
    page.fill("#p1_email", "orion@example.com")
    page.fill("#p1_phone", "+1 555 0178")
    expect(page).to_have_url(re.compile(r"\?step=passengers$"))
    # Too young on the launch date (years from now: the age counts then, not today): refused at
    # this step, beside the field, before any card.
    page.fill("#p1_birth_date", f"{date.fromisoformat(_day(days)).year - 10}-09-30")
    page.fill("#p1_phone", "12")
    page.click("#passengers-next")
    expect(page.locator("#p1_birth_date-error")).to_contain_text("18 to 70 years old")
    expect(page.locator("#p1_phone-error")).to_contain_text("at least 5 characters")
    expect(page.locator("#p1_birth_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#p1_birth_date")).to_have_attribute("aria-describedby", "p1_birth_date-error")
    expect(page.locator("#p1_phone")).to_be_focused()  # the first refused field
    expect(page.locator("#p1_name")).to_have_value("Orion Voyager")
    page.fill("#p1_phone", "+1 555 0178")
    page.fill("#p1_birth_date", "1982-09-30")
    page.click("#passengers-next")
    expect(page.locator("#book-total")).to_have_text("$250,000.00")
    expect(page.locator("#refund-policy")).to_contain_text("Cancelling now refunds 90% of what you paid, until")
    expect(page.locator("#refund-policy")).to_contain_text("After that, 70% until")
    # The browser's Back returns to the passengers, as typed; Forward to the review.
    page.go_back()
    expect(page.locator("#p1_name")).to_have_value("Orion Voyager")
    page.go_forward()
    expect(page.locator("#book-total")).to_have_text("$250,000.00")
    expect(page.locator("#review-passengers")).to_contain_text("Orion Voyager")

    page.fill("#card_number", "4000 0000 0000 0002")
    page.click("#pay-submit")
    expect(page.locator("#form-error")).to_contain_text("declined")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.click("#pay-submit")
    expect(page.locator("#booking-done")).to_contain_text("is confirmed: 2 seats")

    expect(watcher.locator("#seats-free")).to_have_text("4", timeout=15_000)

    page.click("#to-my-bookings")
    booking = page.locator(".booking").first
    expect(booking).to_contain_text("Aurora to Mars")
    expect(booking).to_contain_text("Orion Voyager (orion@example.com)")
    expect(booking.locator(".booking-status")).to_have_text("Booking confirmed")
    expect(booking).to_contain_text("$250,000.00")
    booking_id = booking.get_attribute("data-booking")
    expect(booking).to_contain_text(f"#{booking_id}")

    # Its receipt: a page to print (the PDF route needs a bearer token; the page does not).
    booking.locator(".receipt-link").click()
    expect(page).to_have_url(re.compile(f"/traveler/bookings/{booking_id}/receipt$"))
    expect(page.locator("#receipt-title")).to_have_text(f"Receipt - booking #{booking_id}")
    expect(page.locator("#receipt-lines")).to_contain_text("Aurora to Mars")
    expect(page.locator("#receipt-lines")).to_contain_text("2 seats")
    expect(page.locator("#receipt-lines")).to_contain_text("$250,000.00")
    expect(page.locator("#receipt-passengers")).to_contain_text("Orion Voyager")
    expect(page.locator("#receipt-passengers")).to_contain_text("1982-09-30")
    expect(page.get_by_role("main")).to_have_count(1)
    # On paper: the receipt only, without the site's navigation and the buttons.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Site")).to_be_hidden()
    expect(page.locator("#print-receipt")).to_be_hidden()
    expect(page.locator("#receipt-title")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Site")).to_be_visible()
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.click("#print-receipt")
    page.wait_for_function("() => window.__printed === 1")
    with page.expect_download() as download:
        page.click("#receipt-pdf")
    assert download.value.suggested_filename == f"astrobookings-booking-{booking_id}.pdf"
    # Another traveler's booking number shows nothing of it.
    stranger = new_page()
    register(stranger, unique_email("e2e-stranger"), PASSWORD)
    expect(stranger).to_have_url(re.compile(r"/traveler/?$"))
    stranger.goto(f"/traveler/bookings/{booking_id}/receipt")
    expect(stranger.locator("#form-error")).to_contain_text("no booking")
    expect(stranger.locator("#receipt")).to_have_count(0)
    page.go_back()
    booking = page.locator(".booking").first

    booking.locator(".cancel-booking").click()
    expect(page.locator("#cancel-quote")).to_contain_text("90%")
    expect(page.locator("#cancel-quote")).to_contain_text("$225,000.00")
    page.click("#confirm-cancel")
    expect(page.locator("#form-success")).to_contain_text("$225,000.00 (90%)")
    expect(booking.locator(".booking-status")).to_have_text("Booking cancelled")
    expect(booking.locator(".refund")).to_have_text("$225,000.00 (90%)")
    expect(booking.locator(".cancel-booking")).to_have_count(0)
    # A 90% refund puts the seats back on sale.
    expect(watcher.locator("#seats-free")).to_have_text("6", timeout=15_000)
    assert watcher.evaluate("window.__sameDocument") is True

    # The agency delays the launch while My bookings is open: the booking shows it unreloaded.
    page.evaluate("window.__sameDocument = true")
    delayed = api.post(f"/api/agency/launches/{launch['id']}/status", headers=launch["agency_headers"],
                       json={"status": "delayed", "date": f"{_day(days + 20)}T14:00:00Z", "reason": "Range weather"})
    assert delayed.status_code == 200, delayed.text
    expect(booking.locator(".launch-note")).to_contain_text("Delayed", timeout=30_000)
    assert page.evaluate("window.__sameDocument") is True
    assert refused == [], refused


_DATE = re.compile(r"\b(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|"
                   r"December) \d{4})\b")


def _no_past_deadline(text: str) -> None:
    today = datetime.now(timezone.utc).date()
    past = [d for d in _DATE.findall(text) if datetime.strptime(d, "%d %B %Y").date() < today]
    assert past == [], f"deadlines already passed: {past} in {text!r}"


def _cells_fit(page, table: str, width: int) -> None:
    # Every cell, "Born" included, lies within the phone's screen: nothing hidden behind a scroll.
    boxes = page.locator(f"{table} td").evaluate_all(
        "cells => cells.map(c => [c.getAttribute('data-label'), c.getBoundingClientRect().right])")
    assert boxes and [label for label, right in boxes if right > width] == [], boxes


def test_a_launch_weeks_away_is_booked_on_a_phone_without_a_past_refund_deadline(browser, server, api):
    days = random.Random().randrange(40, 80)  # under 3 months: no refund tier is left
    launch = published_launch(api, days=days, rocket="Swift", destination="moon", price_cents=4_000_000)
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = settled(context.new_page())
    try:
        _register(page, unique_email("e2e-phone-booker"))
        page.goto(f"/traveler/book/{launch['slug']}")
        page.click("#seats-next")
        page.fill("#p0_birth_date", "1979-11-23")
        page.click("#passengers-next")
        policy = page.locator("#refund-policy")
        expect(policy).to_contain_text("Cancelling now refunds nothing: the launch is less than 3 months away.")
        _no_past_deadline(policy.inner_text())
        expect(page.locator("#review-passengers")).to_contain_text("1979-11-23")
        _cells_fit(page, "#review-passengers", 390)

        page.fill("#card_number", "4242 4242 4242 4242")
        page.click("#pay-submit")
        expect(page.locator("#booking-done")).to_contain_text("is confirmed: 1 seat")
        page.click("#to-my-bookings")
        page.locator(".booking").first.locator(".receipt-link").click()
        terms = page.locator("#receipt-refund-terms")
        expect(terms).to_contain_text("Cancelling now refunds nothing")
        _no_past_deadline(page.locator("#receipt").inner_text())
        _cells_fit(page, "#receipt-passengers", 390)
    finally:
        context.close()


def test_profile_edits_are_saved(page):
    email = unique_email("e2e-profile")
    _register(page, email)
    page.goto("/traveler/profile")
    expect(page.locator("#tax_id")).to_have_value("TX-NOVA")
    # Refused beside the field; what was typed elsewhere stays.
    page.fill("#phone", "12")
    page.fill("#address", "9 Gemini Street, Cocoa Beach")
    page.click("#profile-submit")
    expect_refused(page, "phone", "Phone")
    expect(page.locator("#address")).to_have_value("9 Gemini Street, Cocoa Beach")
    page.fill("#phone", "+1 555 0999")
    page.click("#profile-submit")
    expect(page.locator("#form-success")).to_contain_text("saved")
    page.reload()
    expect(page.locator("#address")).to_have_value("9 Gemini Street, Cocoa Beach")
    expect(page.locator("#phone")).to_have_value("+1 555 0999")
