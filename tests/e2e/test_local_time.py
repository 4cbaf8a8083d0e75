"""A launch's date in the visitor's own time zone, with the UTC on hover (and in the HTML)."""
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.booking_helpers import card, published_launch
from tests.e2e.flows import settled


def test_a_visitor_in_tokyo_sees_the_launch_time_in_tokyo_time(api, browser, server):
    launch = published_launch(api, days=4321)
    moment = datetime.fromisoformat(card(api, launch)["date"])
    context = browser.new_context(base_url=server, timezone_id="Asia/Tokyo", locale="en-GB")
    try:
        page = settled(context.new_page())
        page.goto(f"/launches/{launch['slug']}")
        shown = page.locator("#launch-date time")
        tokyo = moment.astimezone(ZoneInfo("Asia/Tokyo"))
        expect(shown).to_contain_text(tokyo.strftime("%H:%M"))
        expect(shown).to_contain_text(str(tokyo.year))
        expect(shown).to_have_attribute("title", moment.astimezone(ZoneInfo("UTC")).strftime("%-d %B %Y, %H:%M UTC"))
        assert datetime.fromisoformat(shown.get_attribute("datetime")) == moment
        assert "UTC" not in shown.inner_text()
    finally:
        context.close()
