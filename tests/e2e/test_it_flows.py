"""IT in Chromium: starts a full resync and watches the bar reach 100% without reloading the page;
filters the activity log by actor and opens an entry's origin; sees MongoDB marked down while the
test has it stopped, and up again once restarted."""
from playwright.sync_api import expect

from astrobookings.dev.stack import stop_process

from tests.agency_helpers import agency_with_launch, book
from tests.e2e.flows import sign_in
from tests.helpers import drain_outbox, new_traveler


def test_it_starts_a_resync_and_watches_it_finish(api, page):
    for n in range(3):
        launch = agency_with_launch(api, days=500 + n)[2]
        book(launch["id"], 1, email=f"e2e-sync-{launch['id']}@example.com")
    sign_in(page, "it@example.com", next_path="/it/sync")
    page.goto("/it/sync")
    expect(page.locator("#start-resync")).to_be_visible()
    page.evaluate("window.__not_reloaded = true")
    page.click("#start-resync")
    expect(page.locator("#sync-progress")).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("done", timeout=60_000)
    expect(page.locator("#sync-percent")).to_have_text("100%")
    assert page.locator("#sync-progress").get_attribute("data-value") in ("100", None)
    counts = page.locator("#sync-counts").inner_text()
    checked, total = counts.split(" rows")[0].split(" of ")
    assert int(checked) == int(total) > 0
    assert page.evaluate("window.__not_reloaded === true")  # the bar moved without a reload
    expect(page.locator("#job-list")).to_contain_text("resync")


def test_it_filters_the_activity_log_by_actor(api, page):
    email, _headers = new_traveler(api)  # registers and signs in through the API
    drain_outbox()
    sign_in(page, "it@example.com", next_path="/it/logs")
    page.goto("/it/logs")
    expect(page.locator("#log-entries")).to_be_visible()
    page.fill("#filter-actor_email", email)
    page.click("#apply-filters")
    expect(page.locator("#log-total")).to_have_text("2 entries")
    expect(page.locator("#log-entries .log-actor")).to_have_count(2)
    for cell in page.locator("#log-entries .log-actor").all():
        expect(cell).to_have_text(email)
    page.locator("#log-entries").get_by_role("button", name="Details").first.click()
    expect(page.locator("#entry-origin")).to_contain_text(email)
    expect(page.locator("#entry-detail")).to_contain_text("auth.signed_in")
    expect(page.locator("#log-window")).to_have_text("")  # an actor's whole history: no window
    page.fill("#filter-actor_email", "")
    page.fill("#filter-text", email)
    page.click("#apply-filters")
    expect(page.locator("#log-window")).to_contain_text("Free text searched")  # alone: the last 24 hours
    expect(page.locator("#log-total")).to_have_text("2 entries")


def test_it_sees_the_system_status_and_the_metrics_page(page):
    sign_in(page, "it@example.com", next_path="/it")
    page.goto("/it")
    for store in ("postgresql", "mongodb", "redis"):
        expect(page.locator(f"#store-{store}")).to_contain_text("ok")
    expect(page.locator("#processes")).to_contain_text("alive")  # the server's own heartbeat
    expect(page.locator("#notification-status")).to_be_visible()
    first_check = page.locator("#checked-at").inner_text()
    expect(page.locator("#checked-at")).not_to_have_text(first_check, timeout=15_000)  # refreshed on its own
    page.goto("/it/metrics")
    expect(page.locator("#chart-activity")).to_be_visible()


def test_it_sees_a_stopped_store_marked_down_then_back(stack, page):
    mongo = [p for p in stack.embedded.procs if "secantusd" in " ".join(map(str, p.args))]
    assert len(mongo) == 1, "the suite's own MongoDB-wire server (TEST_MONGODB_URL unset)"
    sign_in(page, "it@example.com", next_path="/it")
    page.goto("/it")
    expect(page.locator("#store-mongodb")).to_contain_text("ok")
    page.evaluate("window.__not_reloaded = true")
    stack.embedded.procs.remove(mongo[0])
    stop_process(mongo[0])
    try:
        expect(page.locator("#store-mongodb")).to_contain_text("down", timeout=30_000)
        expect(page.locator("#store-postgresql")).to_contain_text("ok")
    finally:
        stack.embedded.mongo()  # the same port and files: the server reconnects by itself
    expect(page.locator("#store-mongodb")).to_contain_text("ok", timeout=30_000)
    assert page.evaluate("window.__not_reloaded === true")  # both changes came to the open page
