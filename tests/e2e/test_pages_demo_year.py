"""The demo year through the pages: each demo role signs in and its main pages show history.
With SCREENSHOTS_DIR set (docs/screenshots/make.py does), the finance reports and the agency
dashboard are kept there as PNGs for the docs; otherwise under var/screenshots."""
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from astrobookings.dev.demo_agency import AGENCIES
from tests.e2e.flows import sign_in
from tests.notify_helpers import deliver_mail

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_year(server):
    from astrobookings.dev import demo

    demo.seed()
    deliver_mail()
    return server


def _shot(page: Page, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _texts(page: Page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def _earning_months(page: Page, after_month: int = 0) -> int:
    """Months of the report on screen with money collected, counting only those after `after_month`."""
    page.wait_for_selector("#annual-table tbody tr")
    rows = page.locator("#annual-table tbody tr").all()
    return sum(1 for n, row in enumerate(rows, start=1)
               if n > after_month and row.locator("td").nth(1).inner_text().strip() != "$0.00")


def test_finance_sees_invoices_in_four_states_and_ten_months_of_revenue(demo_year, page):
    sign_in(page, "finance@example.com")
    page.goto("/finance/invoices")
    page.wait_for_selector("#invoices-table tbody tr")
    # Other tests' invoices may fill the first page: each state is asked for through the filter.
    shown = set()
    for value, word in [("paid", "Paid"), ("partially_paid", "Partially paid"), ("pending", "Pending"),
                        ("overdue", "Overdue"), ("cancelled", "Cancelled")]:
        page.click("#status-filter")
        page.get_by_role("option", name=value, exact=True).click()
        first = page.locator("#invoices-table tbody tr td:nth-child(6)").first
        expect(first.or_(page.locator("#no-invoices"))).to_be_visible()
        expect(page.locator("#status-filter")).to_contain_text(value)
        if page.locator("#no-invoices").count() == 0:
            expect(first).to_have_text(word)
            shown.add(word)
    assert len(shown) >= 4, shown
    page.goto("/finance/reports")
    expect(page.locator("#annual-actual")).not_to_have_text("$0.00")
    months = _earning_months(page)
    today = datetime.now(timezone.utc).date()
    if months < 10:  # early in a year: the rest of the last twelve months is last year's report
        page.click("#report-year")
        page.get_by_role("option", name=str(today.year - 1)).click()
        expect(page.locator("#report-year")).to_contain_text(str(today.year - 1))
        months += _earning_months(page, after_month=today.month)
    assert months >= 10
    for _email, details, _fleet in AGENCIES.values():
        expect(page.locator("#revenue-table")).to_contain_text(details["name"])
    _shot(page, "finance-reports")


def test_agency_sees_launches_in_five_statuses(demo_year, page):
    sign_in(page, "agency@example.com")
    page.goto("/agency")
    expect(page.locator("#upcoming-table")).to_be_visible()
    expect(page.locator("#occupancy-chart .recharts-bar-rectangle").first).to_be_visible()
    _shot(page, "agency-dashboard")
    page.goto("/agency/launches")
    page.wait_for_selector("#launches-table tbody tr")
    statuses = set(_texts(page, "#launches-table tbody tr td:nth-child(5)"))
    assert len(statuses) >= 5, statuses


def test_traveler_sees_a_past_trip_and_a_refund(demo_year, page):
    sign_in(page, "traveler@example.com")
    page.goto("/traveler")
    page.wait_for_selector("#bookings .booking-status")
    flown = page.locator("#bookings > *").filter(has=page.locator(".launch-status", has_text=re.compile("launched", re.I)))
    expect(flown.filter(has=page.locator(".booking-status", has_text="confirmed")).first).to_be_visible()
    expect(page.locator("#bookings .refund").first).to_be_visible()
    expect(page.locator("#bookings .refund").first).not_to_have_text("$0.00")


def test_it_sees_a_failed_notification_and_a_finished_sync_job(demo_year, page):
    sign_in(page, "it@example.com")
    page.goto("/it/notifications")
    expect(page.locator("#count-failed")).not_to_have_text(re.compile(r":\s*0$"))
    page.goto("/it/sync")
    page.wait_for_selector("#job-list tbody tr")
    jobs = set(_texts(page, "#job-list tbody tr td:nth-child(2)"))
    assert {"done", "failed"} <= jobs, jobs
