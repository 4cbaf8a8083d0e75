"""What a crawler gets without JavaScript: HTML with the launches, titles, JSON-LD, a sitemap."""
import json
import re
from datetime import datetime, timedelta, timezone

from services.booking.seo import human_date
from tests.booking_helpers import published_launch


def _jsonld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_launch_page_html_names_the_launch_date_and_free_seats(api):
    launch = published_launch(api, rocket="Starhopper", spaceport="kourou", destination="moon", price_cents=25_000_000)
    response = api.get(f"/launches/{launch['slug']}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert re.search(r"<title[^>]*>Starhopper to Moon from Guiana Space Centre · .+ · AstroBookings</title>", html)
    assert re.search(r'<meta data-seo name="description" content="Test Orbital flies Starhopper', html)
    day = human_date(datetime.fromisoformat(launch["date"]))
    assert "<h1>Starhopper to Moon</h1>" in html and day in html and "6 of 6 seats free" in html
    assert "$250,000.00" in html and f'href="/traveler/book/{launch["slug"]}"' in html
    [event] = _jsonld(html)
    assert event["@type"] == "Event" and event["name"] == "Starhopper to Moon"
    assert datetime.fromisoformat(event["startDate"]) == datetime.fromisoformat(launch["date"])
    assert event["remainingAttendeeCapacity"] == 6 and event["offers"]["price"] == "250000.00"
    assert event["url"].endswith(f"/launches/{launch['slug']}") and event["location"]["name"].startswith("Guiana")


def test_launch_list_html_is_paginated_and_filterable(api):
    days = 3500
    day = (datetime.now(timezone.utc) + timedelta(days=days)).date().isoformat()
    launches = [published_launch(api, days=days, destination="mars") for _ in range(2)]
    html = api.get("/launches", params={"from": day, "to": day, "destination": "mars"}).text
    assert "<title data-seo>Launches with free seats · AstroBookings</title>" in html
    for launch in launches:
        assert f'<a href="/launches/{launch["slug"]}">' in html
    assert "6 of 6 seats free" in html and "2 launches, page 1 of 1" in html
    [item_list] = _jsonld(html)
    assert item_list["@type"] == "ItemList" and len(item_list["itemListElement"]) == 2

    first_page = api.get("/launches", params={"from": day, "to": day, "page": "1", "max_price_cents": "999999999"}).text
    assert "Next page" not in first_page
    bad = api.get("/launches", params={"destination": "pluto"})
    assert bad.status_code == 422 and "Destination must be one of" in bad.text


def test_unknown_launch_page_is_404_html(api):
    response = api.get("/launches/2001-01-01-nobody-to-nowhere")
    assert response.status_code == 404 and "Launch not found" in response.text


def test_sitemap_lists_every_launch_page(api):
    launch = published_launch(api)
    response = api.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    assert f"<loc>http://localhost:3000/launches/{launch['slug']}</loc>" in response.text
    assert "<loc>http://localhost:3000/launches</loc>" in response.text
    robots = api.get("/robots.txt").text
    assert "Sitemap: http://localhost:3000/sitemap.xml" in robots and "Disallow: /traveler" in robots


def test_home_html_lists_the_next_launches_and_the_list_links_its_next_page(api):
    launch = published_launch(api, days=3, rocket="Dawnrider", destination="moon", price_cents=1_000_000)
    home = api.get("/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert f'<a href="/launches/{launch["slug"]}">Dawnrider to Moon</a>' in home.text
    assert "No launch is open" not in home.text and "<h1>Book your seat to space</h1>" in home.text
    assert any(item.get("@type") == "ItemList" for item in _jsonld(home.text))


def test_list_html_links_its_next_page_keeping_the_search():
    from services.booking import seo
    body = seo.list_body([], total=30, page=1, per_page=12, filters={"sort": "price", "seats_needed": "2", "to": None})
    assert 'href="/launches?sort=price&amp;seats_needed=2&amp;page=2">Next page</a>' in body
    assert "30 launches, page 1 of 3" in body and "Previous page" not in body
