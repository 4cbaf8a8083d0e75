"""What crawlers get, built without I/O: titles, JSON-LD, the injected block, the sitemap; and
the catalog's search filter."""
import json
from datetime import date, datetime, timezone

import pytest

from services.core.formatting import csv_cell
from services.core.models.catalog import CatalogQuery, LaunchCardPublic
from services.booking import catalog_search
from services.booking import seo
from services.booking.rules import booking_state

SHELL = ('<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>Old</title></head>'
         '<body class="x"><div id="root">app</div></body></html>')


def _card(**overrides) -> LaunchCardPublic:
    values = dict(id=7, slug="2027-03-14-starhopper-kourou-to-moon", name="Starhopper to Moon",
                  url="/launches/2027-03-14-starhopper-kourou-to-moon", agency_name="Orbital </script> Dynamics",
                  rocket_name="Starhopper", rocket_range="interplanetary", spaceport="kourou",
                  spaceport_name="Guiana Space Centre, Kourou, French Guiana", destination="moon",
                  destination_name="Moon", date=datetime(2027, 3, 14, 14, 0, tzinfo=timezone.utc),
                  price_cents=290_000_000, seats_offered=6, seats_free=2, status="scheduled")
    values.update(overrides)
    # Open or sold out as the booking rule says, on a date before the launch.
    state = booking_state(values["status"], values["date"], values["seats_free"], datetime(2027, 1, 1, tzinfo=timezone.utc))
    return LaunchCardPublic(**values, bookable=state == "open", sold_out=state == "sold_out")


def test_title_and_description_name_the_launch():
    card = _card()
    assert seo.launch_title(card) == "Starhopper to Moon from Guiana Space Centre · 14 Mar 2027 · AstroBookings"
    description = seo.launch_description(card)
    assert "14 March 2027, 14:00 UTC" in description and "$2,900,000.00 per seat" in description
    assert "2 of 6 seats free" in description


def test_seats_text_tells_sold_out_from_closed():
    assert seo.seats_text(_card(seats_free=0)) == "sold out"
    assert seo.seats_text(_card(status="aborted")) == "not open for booking"


def test_event_jsonld_is_a_schema_org_event_with_an_offer():
    event = seo.event_jsonld(_card(), "https://astro.example/")
    assert event["@type"] == "Event" and event["startDate"] == "2027-03-14T14:00:00+00:00"
    assert event["url"] == "https://astro.example/launches/2027-03-14-starhopper-kourou-to-moon"
    assert event["offers"]["price"] == "2900000.00" and event["offers"]["availability"].endswith("InStock")
    assert seo.event_jsonld(_card(seats_free=0), "https://a.example")["offers"]["availability"].endswith("SoldOut")
    assert seo.event_jsonld(_card(status="aborted"), "https://a.example")["eventStatus"].endswith("EventCancelled")


@pytest.mark.parametrize("name", ["<!--<script>", "Orbital </script><script>alert(1)</script>", "A & B > C",
                                  "line\u2028sep\u2029para", "</SCRIPT", "<!-- -->"])
def test_jsonld_escapes_every_character_that_could_break_out_of_its_script(name):
    script = seo.jsonld_script(seo.event_jsonld(_card(agency_name=name), "https://a.example"))
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not any(ch in inner for ch in "<>&\u2028\u2029"), inner
    assert json.loads(inner)["organizer"]["name"] == name


def test_csv_cells_that_a_spreadsheet_would_run_are_disarmed():
    for risky in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert csv_cell(risky) == "'" + risky
    assert csv_cell("Ana Lima") == "Ana Lima" and csv_cell(-5) == -5 and csv_cell("") == ""


def test_jsonld_cannot_close_its_script_early():
    script = seo.jsonld_script(seo.event_jsonld(_card(), "https://a.example"))
    assert script.count("</script>") == 1
    assert json.loads(script.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))


def test_inject_replaces_the_title_and_removes_the_block_before_the_app_boots():
    html = seo.inject(SHELL, seo.head_tags("New & improved", "About", "https://a.example/x", None), "<main>hi</main>")
    assert "<title>Old</title>" not in html and "<title data-seo>New &amp; improved</title>" in html
    assert html.index("data-seo") < html.index("</head>")
    body = html[html.index('<body class="x">'):]
    assert body.startswith('<body class="x"><div data-seo id="seo-content"><main>hi</main></div><script>')
    assert "querySelectorAll('[data-seo]')" in body and body.index("seo-content") < body.index('id="root"')


def test_list_body_links_every_launch_and_the_next_page():
    html = seo.list_body([_card()], total=30, page=1, per_page=12, filters={"destination": "moon", "to": None})
    assert '<a href="/launches/2027-03-14-starhopper-kourou-to-moon">Starhopper to Moon</a>' in html
    assert "Orbital &lt;/script&gt; Dynamics" in html
    assert 'href="/launches?destination=moon&amp;page=2">Next page</a>' in html and "Previous page" not in html


def test_sitemap_lists_home_list_and_every_launch():
    xml = seo.sitemap_xml([{"slug": "a-to-moon", "date": "2027-01-01"}], "https://astro.example/")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><urlset')
    for url in ("https://astro.example/", "https://astro.example/launches", "https://astro.example/launches/a-to-moon"):
        assert f"<loc>{url}</loc>" in xml


def test_search_filter_combines_range_destination_window_and_price():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    found = catalog_search._mongo_filter(CatalogQuery(range="low_earth_orbit", max_price_cents=500, **{"from": date(2027, 1, 1)},
                                               to=date(2027, 1, 31)), now)
    assert found["destination"] == {"$in": ["low-earth-orbit", "space-station"]}
    assert found["date"] == {"$gt": now, "$gte": datetime(2027, 1, 1, tzinfo=timezone.utc),
                             "$lt": datetime(2027, 2, 1, tzinfo=timezone.utc)}
    assert found["price_cents"] == {"$lte": 500} and found["bookable"] is True and found["seats_free"] == {"$gte": 1}
    assert catalog_search._mongo_filter(CatalogQuery(range="suborbital", destination="moon"), now)["destination"] == {"$in": []}


def test_pages_name_the_social_preview_image_from_assets():
    from pathlib import Path

    html = seo.head_tags("T", "D", "https://astro.example/launches/x", None)
    assert '<meta data-seo property="og:image" content="https://astro.example/og-image.png"/>' in html
    assets = Path(__file__).resolve().parents[2] / "assets"
    assert (assets / "og-image.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (assets / "favicon.svg").exists() and (assets / "logo.svg").exists()


def test_a_last_known_copy_says_how_old_it_is():
    from services.core.formatting import updated_ago

    assert updated_ago(None) == ""
    assert updated_ago(42) == "Updated 42 s ago" and updated_ago(125) == "Updated 2 min ago"
