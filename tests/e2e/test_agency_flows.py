"""An agency completes its profile, adds a rocket, schedules a launch that shows publicly,
delays it, flies it and downloads the bookings report."""
import re
import time
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Page, expect

from astrobookings.dev.demo import DEMO_PASSWORD
from tests.e2e.flows import expect_refused, sign_in
from tests.agency_helpers import make_due
from tests.helpers import PASSWORD, unique_email


def _new_agency_account(page: Page) -> str:
    """The admin creates the account over the REST API of the server under test."""
    token = page.request.post("/api/auth/login", data={"email": "admin@example.com", "password": DEMO_PASSWORD}).json()
    email = unique_email("e2e-agency")
    created = page.request.post("/api/admin/users", headers={"Authorization": f"Bearer {token['access_token']}"},
                                data={"email": email, "password": PASSWORD, "name": "Nebula Transit", "role": "agency"})
    assert created.status == 201, created.text()
    return email


def _public_card(page: Page, slug: str, day: str, want_date: str, timeout: float = 10.0) -> dict:
    """Polls the public launch list (GET /api/launches) until the launch shows with the wanted date."""
    deadline = time.monotonic() + timeout
    while True:
        listing = page.request.get("/api/launches", params={"destination": "moon", "from": day, "to": day, "per_page": "100"})
        cards = [c for c in listing.json().get("items", []) if c["slug"] == slug] if listing.ok else []
        if cards and cards[0]["date"].startswith(want_date):
            return cards[0]
        assert time.monotonic() < deadline, f"{slug} not on the public list with date {want_date}: {listing.text()[:300]}"
        page.wait_for_timeout(200)


def _see_on_public_page(page: Page, slug: str, day) -> None:
    """The public list (another module's page), filtered to the launch's day, shows its card."""
    page.goto(f"/launches?destination=moon&from={day}&to={day}")
    expect(page.locator(f'.launch-card[data-slug="{slug}"]')).to_be_visible()


def test_agency_schedules_delays_flies_and_reports(page: Page):
    email = _new_agency_account(page)
    sign_in(page, email, PASSWORD)

    page.goto("/agency/launches/new")
    expect(page.locator("#schedule-blocked")).to_contain_text("tax id and legal address")

    page.goto("/agency/profile")
    expect(page.locator("#profile-incomplete")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Nebula Transit")
    page.fill("#tax_id", "VAT-E2E-1")
    page.fill("#legal_address", "7 Orbit Avenue, Houston, TX")
    page.fill("#contact_email", "ops@nebula.example")
    page.fill("#contact_phone", "+1 555 0177")
    page.click("#profile-submit")
    expect(page.locator("#form-success")).to_contain_text("Profile saved")
    expect(page.locator("#profile-incomplete")).to_have_count(0)

    rocket = f"Hopper {email[13:19]}"
    page.goto("/agency/rockets")
    expect(page.locator("#no-rockets")).to_be_visible()
    page.fill("#name", rocket)
    page.fill("#capacity", "6")
    page.select_option("#range", "interplanetary")
    page.click("#rocket-submit")
    expect(page.locator("#rockets-table")).to_contain_text(rocket)

    launch_day = (datetime.now(timezone.utc) + timedelta(days=365)).date()
    page.goto("/agency/launches/new")
    page.select_option("#rocket_id", label=f"{rocket} (6 seats, interplanetary)")
    page.select_option("#spaceport", "kourou")
    page.select_option("#destination", "moon")
    page.fill("#date", f"{launch_day}T14:00")
    # A malformed price is refused beside its field; the form keeps what was typed.
    page.fill("#price", "a lot")
    page.click("#launch-submit")
    expect_refused(page, "price", "Price must be an amount in USD")
    expect(page.locator("#date")).to_have_value(f"{launch_day}T14:00")
    expect(page.locator("#destination")).to_have_value("moon")
    page.fill("#price", "250000")
    page.click("#launch-submit")
    expect(page).to_have_url(re.compile(r"/agency/launches/\d+$"))
    expect(page.locator("#launch-status")).to_have_text("scheduled")
    expect(page.locator("#launch-date")).to_have_text(f"{launch_day} 14:00 UTC")
    expect(page.locator("#portal-title")).to_have_text(f"{rocket} to Moon")
    slug = page.locator("#launch-slug").inner_text()
    assert slug.startswith(f"{launch_day}-hopper-") and slug.endswith("-kourou-to-moon")

    launch_url = page.url
    card = _public_card(page, slug, str(launch_day), str(launch_day))
    assert card["seats_free"] == 6 and card["price_cents"] == 25_000_000
    _see_on_public_page(page, slug, launch_day)
    page.goto(launch_url)

    new_day = launch_day + timedelta(days=3)
    # A delay must move the launch later: refused beside the date, the reason kept.
    page.fill("#date", f"{launch_day - timedelta(days=1)}T09:30")
    page.fill("#reason", "Range weather")
    page.click("#delay-submit")
    expect(page.locator("#date-error")).to_contain_text("later than the current launch date")
    expect(page.locator("#reason")).to_have_value("Range weather")
    page.fill("#date", f"{new_day}T09:30")
    page.click("#delay-submit")
    expect(page.locator("#launch-status")).to_have_text("delayed")
    expect(page.locator("#launch-date")).to_have_text(f"{new_day} 09:30 UTC")
    expect(page.locator("#history-table")).to_contain_text("Range weather")
    _public_card(page, slug, str(new_day), f"{new_day}T09:30")
    _see_on_public_page(page, slug, new_day)
    page.goto(launch_url)
    # Before its date the launch can only be delayed or aborted; the outcome comes once it is due.
    expect(page.locator("#launched-button")).to_have_count(0)
    make_due(int(launch_url.rstrip("/").rsplit("/", 1)[-1]))
    page.goto(launch_url)

    page.click("#launched-button")
    expect(page.get_by_role("alertdialog")).to_contain_text("cannot be undone")
    page.click("#confirm-status")
    expect(page.locator("#launch-status")).to_have_text("launched")
    # One report of the launch's bookings, the manifest, before the flight and after it.
    expect(page.locator("#download-csv")).to_have_count(0)
    with page.expect_download() as download:
        page.click("#download-manifest")
    assert download.value.suggested_filename.startswith(f"manifest-{slug}-")
    with open(download.value.path(), encoding="utf-8") as report:
        assert report.readline().startswith("Booking,Status,Passenger")

    page.goto("/agency")
    expect(page.locator("#portal-title")).to_have_text("Agency dashboard")
    expect(page.locator("#no-upcoming")).to_be_visible()


def _api_agency_with_launches(page: Page, email: str, count: int) -> list[dict]:
    """Profile, rocket and launches through the REST API, as a partner's script would."""
    token = page.request.post("/api/auth/login", data={"email": email, "password": PASSWORD}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    page.request.put("/api/agency/profile", headers=auth, data={"name": "Nebula Transit", "tax_id": "VAT-2",
                                                                 "legal_address": "7 Orbit Avenue, Houston"})
    rocket = page.request.post("/api/agency/rockets", headers=auth, data={"name": "Lifter", "capacity": 8, "range": "low_earth_orbit"}).json()
    launches = []
    for n in range(count):
        date = (datetime.now(timezone.utc) + timedelta(days=60 + n)).isoformat()
        made = page.request.post("/api/agency/launches", headers=auth, data={
            "rocket_id": rocket["id"], "spaceport": "kennedy", "destination": "space-station", "date": date, "price_cents": 100_000})
        assert made.status == 201, made.text()
        launches.append(made.json())
    return launches


def test_dashboard_charts_upcoming_launches_and_abort_asks_first(page: Page, new_page):
    email = _new_agency_account(page)
    launches = _api_agency_with_launches(page, email, 2)
    sign_in(page, email, PASSWORD)
    page.goto("/agency")
    expect(page.locator("#stat-open")).to_have_text("2")
    expect(page.locator("#stat-seats")).to_have_text("0 / 16")
    expect(page.locator("#occupancy-chart svg.recharts-surface[role=application]")).to_be_visible()
    expect(page.locator("#upcoming-table tbody tr")).to_have_count(2)

    page.click(f"#upcoming-table >> text={launches[0]['date'][:10]}")
    expect(page.locator("#launch-status")).to_have_text("scheduled")
    expect(page.locator("#passengers-table-empty")).to_be_visible()
    page.select_option("#abort-reason", "technical")
    page.click("#abort-button")
    expect(page.get_by_role("alertdialog")).to_contain_text("(technical)")
    expect(page.get_by_role("alertdialog")).to_contain_text("refunded in full")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#launch-status")).to_have_text("scheduled")
    page.click("#abort-button")
    page.click("#confirm-status")
    expect(page.locator("#launch-status")).to_have_text("aborted")
    expect(page.locator("#abort-button")).to_have_count(0)

    intruder = new_page()
    sign_in(intruder, _new_agency_account(intruder), PASSWORD)
    intruder.goto(f"/agency/launches/{launches[1]['id']}")
    expect(intruder.locator("#form-error")).to_contain_text("No launch with this id")
    expect(intruder.locator("#launch-status")).to_have_count(0)


def test_rockets_are_edited_in_a_dialog_and_deleted_after_confirming(page: Page):
    email = _new_agency_account(page)
    sign_in(page, email, PASSWORD)
    page.goto("/agency/rockets")
    page.fill("#name", "Kestrel")
    page.fill("#capacity", "3")
    page.select_option("#range", "suborbital")
    page.click("#rocket-submit")
    row = page.locator("#rockets-table tbody tr", has_text="Kestrel")
    expect(row).to_contain_text("edge-of-space")
    expect(row).to_contain_text("Suborbital")
    expect(page.locator("#name")).to_have_value("")  # added: the form starts afresh

    # A second rocket of the same name is refused beside the name; what was typed stays.
    page.fill("#name", "kestrel ")
    page.fill("#capacity", "4")
    page.click("#rocket-submit")
    expect_refused(page, "name", "already have a rocket named")
    expect(page.locator("#capacity")).to_have_value("4")
    page.fill("#name", "Osprey")
    page.click("#rocket-submit")
    expect(page.locator("#rockets-table")).to_contain_text("Osprey")

    row.get_by_role("button", name="Edit").click()
    expect(page.locator("#edit-name")).to_have_value("Kestrel")
    # Renaming it to the other rocket's name: the dialog stays open, the message beside the name.
    page.fill("#edit-name", "OSPREY")
    page.fill("#edit-capacity", "5")
    page.click("#edit-submit")
    expect_refused(page, "edit-name", "already have a rocket named")
    expect(page.locator("#edit-capacity")).to_have_value("5")
    expect(page.locator("#name-error")).to_have_count(0)  # not beside the add form's name
    page.fill("#edit-name", "Kestrel II")
    page.fill("#edit-capacity", "5")
    page.select_option("#edit-range", "low_earth_orbit")
    page.click("#edit-submit")
    expect(page.locator("#form-success")).to_contain_text("Saved Kestrel II")
    expect(page.locator("#rockets-table")).to_contain_text("space-station")

    page.locator("#rockets-table tbody tr", has_text="Kestrel II").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Kestrel II")
    page.click("#confirm-delete")
    expect(page.locator("#form-success")).to_contain_text("Deleted Kestrel II")
    expect(page.locator("#rockets-table tbody tr")).to_have_count(1)
    expect(page.locator("#rockets-table")).to_contain_text("Osprey")
