"""Every page of every portal, as a phone (390x844) and a desktop (1280x800) show it: a screenshot
of each in var/screenshots/<page>-<width>.png, no page wider than the screen, and axe-core (from
the npm registry, tools/node_modules) finds no serious or critical violation and no broken page
structure (one h1, heading order, a main landmark, a way to skip to it)."""
import json
import re
from pathlib import Path

import pytest

from tests.e2e.flows import settled
from tests.e2e.flows import sign_in
from tests.finance_helpers import ended_launch, invoices_of
from tests.helpers import demo_login, drain_outbox

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "screenshots"
WIDTHS = [(390, 844), (1280, 800)]

# Moderate in axe's scale, yet the issue asks for each of them: they fail the walk as well.
STRUCTURE_RULES = {"page-has-heading-one", "heading-order", "landmark-one-main", "landmark-no-duplicate-main",
                   "bypass", "landmark-unique", "empty-heading"}
# Static pages per portal; the walk adds each portal's detail pages found on its lists.
PORTALS = {
    "public": (None, ["/", "/launches", "/login", "/register", "/forbidden", "/no-such-page"]),
    "traveler": ("vip@example.com", ["/traveler", "/traveler/profile", "/notifications"]),
    "agency": ("agency@example.com", ["/agency", "/agency/launches", "/agency/launches/new", "/agency/rockets",
                                      "/agency/invoices", "/agency/profile", "/notifications"]),
    "finance": ("finance@example.com", ["/finance", "/finance/invoices", "/finance/launches", "/finance/reports"]),
    "it": ("it@example.com", ["/it", "/it/sync", "/it/logs", "/it/metrics", "/it/notifications"]),
    "admin": ("admin@example.com", ["/admin"]),
}
# A page has settled when its loaders ran, its title is there and nothing in it is still loading
# (aria-busy; a loader that starts again after hydration shows its spinner for a moment).
_SETTLED = ("() => !!document.querySelector('main h1') && "
            "!document.querySelector('main [aria-busy=\"true\"], main[aria-busy=\"true\"]')")


@pytest.fixture(scope="module")
def ended_invoice(api, server):
    """The demo data of `make run` (launches with free seats, the VIP's trips), and a launch of the
    demo agency that flew, so both portals have an invoice page to show."""
    from astrobookings.dev import demo

    demo.seed()
    drain_outbox()
    headers = demo_login(api, "agency@example.com")
    _headers, launch = ended_launch(api, headers=headers, seats=(1,))
    # Pages show what they show only with data: an unread notice in the bell, a sync job's bar.
    vip = api.get("/api/me/notifications", headers=demo_login(api, "vip@example.com")).json()
    assert vip["unread"] > 0, "the VIP's demo bookings leave unread notices"
    job = api.post("/api/system/sync", headers=demo_login(api, "it@example.com"), json={"kind": "resync"})
    assert job.status_code in (202, 409), job.text  # 409: one is running already
    return launch["id"], invoices_of(api, headers, launch["id"])[0]["id"]


def _first_href(page, selector: str, pattern: str) -> str:
    page.wait_for_selector(selector)
    for href in page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))"):
        if href and re.fullmatch(pattern, href):
            return href
    raise AssertionError(f"no link like {pattern} on {page.url}")


def _detail_pages(page, portal: str, ended: tuple[int, int]) -> list[str]:
    launch_id, invoice_id = ended
    if portal == "public":
        page.goto("/launches")
        return [_first_href(page, "a.launch-card", r"/launches/[\w-]+")]
    if portal == "traveler":
        page.goto("/launches")
        book = "/traveler/book/" + _first_href(page, "a.launch-card", r"/launches/[\w-]+").rsplit("/", 1)[1]
        page.goto("/traveler")
        return [book, _first_href(page, "a[href$='/receipt']", r"/traveler/bookings/\d+/receipt")]
    if portal == "agency":
        return [f"/agency/launches/{launch_id}", f"/agency/invoices/{invoice_id}"]
    if portal == "finance":
        return [f"/finance/invoices/{invoice_id}"]
    return []


def _axe_problems(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {json.dumps(v['nodes'][:5])}" for v in result
            if v["impact"] in ("serious", "critical") or v["id"] in STRUCTURE_RULES]


def _structure_problems(page) -> list[str]:
    found = page.evaluate("""() => {
        const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
            .filter(e => e.tabIndex >= 0 && !e.disabled);
        const first = focusable[0];
        return {h1: document.querySelectorAll('h1').length, main: document.querySelectorAll('main').length,
                skip: first ? (first.getAttribute('href') || '') + ' ' + first.textContent : '',
                mainId: document.querySelector('main') ? document.querySelector('main').id : ''};
    }""")
    problems = []
    if found["h1"] != 1:
        problems.append(f"{found['h1']} h1 elements")
    if found["main"] != 1:
        problems.append(f"{found['main']} main landmarks")
    target, _, text = found["skip"].partition(" ")
    if not found["mainId"] or not target.endswith(f"#{found['mainId']}") or text != "Skip to content":
        problems.append(f"first in tab order is not the skip link to main: {found['skip']!r}")
    return problems


def _visit(page, path: str, name: str, crashes: list[str]) -> list[str]:
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        page.wait_for_function(_SETTLED)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if crashes:
            problems.append(f"{path} at {width}px: script errors {crashes}")
            crashes.clear()
        wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            problems.append(f"{path} at {width}px: the page is {wide[0]}px wide")
        # Dashboard figures (money above all) are shown whole, never cut at their card's edge.
        cut = page.evaluate("() => [...document.querySelectorAll('main [id^=stat-]')]"
                            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id + ': ' + e.textContent)")
        if cut:
            problems.append(f"{path} at {width}px: figures cut {cut}")
        problems += [f"{path} at {width}px: {p}" for p in _structure_problems(page) + _axe_problems(page)]
    return problems


@pytest.mark.parametrize("portal", list(PORTALS))
def test_every_page_fits_a_phone_and_passes_axe(browser, server, ended_invoice, portal):
    SHOTS.mkdir(parents=True, exist_ok=True)
    email, paths = PORTALS[portal]
    # axe is injected as an inline script, which the pages' Content-Security-Policy (rightly) refuses.
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        page = settled(context.new_page())
        crashes = []
        page.on("pageerror", lambda error: crashes.append(str(error)[:300]))
        if email:
            sign_in(page, email)
        problems = []
        for path in paths + _detail_pages(page, portal, ended_invoice):
            # var/screenshots/<page>-<width>.png; pages several portals share carry the portal's name.
            slug = re.sub(r"[^\w]+", "-", path).strip("-") or "home"
            name = slug if slug.startswith(portal) or portal == "public" else f"{portal}-{slug}"
            problems += _visit(page, path, name, crashes)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
