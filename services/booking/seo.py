"""What crawlers read: titles, descriptions, schema.org JSON-LD, server-rendered HTML, the sitemap.

Pure functions over catalog cards (no I/O), so the HTML a crawler gets is unit-testable.
"""
from html import escape
from urllib.parse import urlencode, urlsplit

from services.core.models.catalog import LaunchCardPublic
from services.core.formatting import human_date, json_for_html, plural, usd as format_usd

SITE = "AstroBookings"
# The social preview image (assets/og-image.png, 1200x630), served at the site's root.
SOCIAL_IMAGE = "/og-image.png"
_EVENT_STATUS = {"scheduled": "EventScheduled", "delayed": "EventRescheduled", "aborted": "EventCancelled",
                 "launched": "EventScheduled", "failed": "EventScheduled"}



def seats_text(card: LaunchCardPublic) -> str:
    if card.sold_out:
        return "sold out"
    if not card.bookable:
        return "not open for booking"
    return f"{card.seats_free} of {card.seats_offered} seats free"


def launch_title(card: LaunchCardPublic) -> str:
    return f"{card.name} from {card.spaceport_name.split(',')[0]} · {card.date:%-d %b %Y} · {SITE}"


def launch_description(card: LaunchCardPublic) -> str:
    return (f"{card.agency_name} flies {card.rocket_name} from {card.spaceport_name} to "
            f"{card.destination_name} on {human_date(card.date)}. {format_usd(card.price_cents)} per seat, "
            f"{seats_text(card)}.")


def event_jsonld(card: LaunchCardPublic, base_url: str) -> dict:
    url = base_url.rstrip("/") + card.url
    available = card.bookable
    return {
        "@context": "https://schema.org", "@type": "Event", "name": card.name, "url": url,
        "description": launch_description(card), "startDate": card.date.isoformat(),
        "eventStatus": f"https://schema.org/{_EVENT_STATUS.get(card.status, 'EventScheduled')}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": card.spaceport_name, "address": card.spaceport_name},
        "organizer": {"@type": "Organization", "name": card.agency_name},
        "performer": {"@type": "Organization", "name": card.agency_name},
        "maximumAttendeeCapacity": card.seats_offered, "remainingAttendeeCapacity": card.seats_free,
        "offers": {"@type": "Offer", "url": url, "price": f"{card.price_cents / 100:.2f}", "priceCurrency": "USD",
                   "availability": "https://schema.org/" + ("InStock" if available else "SoldOut")},
    }


def list_jsonld(cards: list[LaunchCardPublic], base_url: str) -> dict:
    return {"@context": "https://schema.org", "@type": "ItemList",
            "itemListElement": [{"@type": "ListItem", "position": i + 1, "item": event_jsonld(c, base_url)}
                                for i, c in enumerate(cards)]}


def jsonld_script(data: dict) -> str:
    return '<script type="application/ld+json">' + json_for_html(data) + "</script>"


def head_tags(title: str, description: str, canonical: str, jsonld: dict | None) -> str:
    """Head elements for the page; all but the JSON-LD step aside once the app boots (data-seo)."""
    t, d, c = escape(title), escape(description), escape(canonical)
    parts = urlsplit(canonical)
    image = escape(f"{parts.scheme}://{parts.netloc}{SOCIAL_IMAGE}")
    tags = [f"<title data-seo>{t}</title>", f'<meta data-seo name="description" content="{d}"/>',
            f'<link data-seo rel="canonical" href="{c}"/>', f'<meta data-seo property="og:title" content="{t}"/>',
            f'<meta data-seo property="og:description" content="{d}"/>', f'<meta data-seo property="og:url" content="{c}"/>',
            f'<meta data-seo property="og:image" content="{image}"/>',
            '<meta data-seo name="twitter:card" content="summary_large_image"/>']
    if jsonld is not None:
        tags.append(jsonld_script(jsonld))
    return "".join(tags)


def launch_body(card: LaunchCardPublic) -> str:
    facts = [("Agency", card.agency_name), ("Rocket", card.rocket_name), ("Spaceport", card.spaceport_name),
             ("Destination", card.destination_name), ("Date", human_date(card.date)),
             ("Price per seat", format_usd(card.price_cents)), ("Free seats", seats_text(card)), ("Status", card.status)]
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    book = f'<p><a href="/traveler/book/{escape(card.slug)}">Book seats</a></p>' if card.bookable else ""
    return (f"<main><h1>{escape(card.name)}</h1><p>{escape(launch_description(card))}</p><dl>{rows}</dl>{book}"
            '<p><a href="/launches">All launches with free seats</a></p></main>')


def list_body(cards: list[LaunchCardPublic], total: int, page: int, per_page: int, filters: dict) -> str:
    items = "".join(
        f'<li><a href="{escape(c.url)}">{escape(c.name)}</a>: {escape(c.agency_name)}, from {escape(c.spaceport_name)}, '
        f"{escape(human_date(c.date))}, {escape(format_usd(c.price_cents))} per seat, {escape(seats_text(c))}</li>"
        for c in cards)
    listing = f"<ul>{items}</ul>" if cards else "<p>No launch with free seats matches these filters.</p>"
    pages = max(1, -(-total // per_page))
    links = []
    for label, target in (("Previous page", page - 1), ("Next page", page + 1)):
        if 1 <= target <= pages:
            query = urlencode({**{k: v for k, v in filters.items() if v not in (None, "")}, "page": target})
            links.append(f'<a href="/launches?{escape(query)}">{label}</a>')
    return (f"<main><h1>Launches with free seats</h1><p>{plural(total, 'launch', 'launches')}, page {page} of {pages}.</p>"
            f"{listing}<nav>{' '.join(links)}</nav></main>")


HOME_TITLE = f"{SITE} · Seats on commercial space flights"
HOME_DESCRIPTION = "Book a seat on a commercial space flight: suborbital hops, orbital stays, the Moon and Mars."


def _card_items(cards: list[LaunchCardPublic]) -> str:
    return "".join(
        f'<li><a href="{escape(c.url)}">{escape(c.name)}</a>: {escape(c.agency_name)}, from {escape(c.spaceport_name)}, '
        f"{escape(human_date(c.date))}, {escape(format_usd(c.price_cents))} per seat, {escape(seats_text(c))}</li>"
        for c in cards)


def home_body(cards: list[LaunchCardPublic]) -> str:
    """The landing page as crawlers read it: the next launches open for booking, linked."""
    listing = f"<ul>{_card_items(cards)}</ul>" if cards else "<p>No launch is open for booking right now.</p>"
    return (f"<main><h1>Book your seat to space</h1><p>{escape(HOME_DESCRIPTION)}</p>"
            f"<h2>Next launches with free seats</h2>{listing}"
            '<p><a href="/launches">All launches with free seats</a> · <a href="/register">Create an account</a></p></main>')


def not_found_body() -> str:
    return '<main><h1>Launch not found</h1><p><a href="/launches">See the launches with free seats</a></p></main>'


def inject(shell: str, head: str, body: str) -> str:
    """Put the server-rendered block into the SPA shell, then take it out again before React
    hydrates (an inline script runs before the deferred app modules), so the app boots on the
    exact document it was built for while crawlers without JavaScript read the content."""
    cleanup = ("<script>document.querySelectorAll('[data-seo]').forEach(function(e){e.remove()});"
               "document.currentScript.remove()</script>")
    block = f'<div data-seo id="seo-content">{body}</div>{cleanup}'
    head_end = shell.find("</head>")
    shell = _strip_titles(shell[:head_end]) + head + shell[head_end:]
    body_start = shell.find(">", shell.find("<body")) + 1
    return shell[:body_start] + block + shell[body_start:]


def _strip_titles(head: str) -> str:
    while (start := head.find("<title")) != -1:
        end = head.find("</title>", start)
        if end == -1:
            break
        head = head[:start] + head[end + len("</title>"):]
    return head


def standalone_shell() -> str:
    """The page when no frontend build exists (API-only deployments, tests of the API alone)."""
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/></head><body></body></html>')


def sitemap_xml(entries: list[dict], base_url: str) -> str:
    base = base_url.rstrip("/")
    urls = [f"{base}/", f"{base}/launches"] + [f"{base}/launches/{e['slug']}" for e in entries]
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>')


def robots_txt(base_url: str) -> str:
    private = ["/traveler", "/agency", "/finance", "/it", "/admin", "/api/"]
    lines = ["User-agent: *", "Allow: /", *[f"Disallow: {p}" for p in private],
             f"Sitemap: {base_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"
