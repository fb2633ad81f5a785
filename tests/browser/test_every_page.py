"""Every page each role reaches by following links, at 390 px (a phone) and 1366 px (a laptop), in Chinese and
in English: nothing wider than the screen, no table cell squeezed below its longest word, axe-core clean
(no serious or critical violation), no console error, no CJK text in the headings and navigation of English
pages; and, with the keyboard alone, every control is reached by Tab and shows that it has the focus. Pages are found by following links from where each role starts (one page per URL shape, e.g.
/sessions/<id>), so new pages are walked without being listed here. A screenshot of each page at both
widths is saved under test-artifacts/screenshots/pages/ (the directory is printed)."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page

from .conftest import DEMO_PASSWORD, SCREENSHOTS
from .pagecheck import check_page, keyboard_problems, watch_console

WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
PAGES_PER_ROLE = 45
# Not pages: the language switch, downloads, feeds, the API, files.
SKIP = re.compile(r"^/(lang/|static/|api/|developers/openapi|favicon)|\.(ics|pdf|csv|json)$|/(download|export|deck|feed)")
START = {
    "visitor": ["/", "/login", "/register", "/password/forgot"],
    "startup01": ["/my/projects", "/screening/apply", "/meetings/availability", "/training/"],
    "investor01": ["/my/bookings", "/matching/", "/meetings/"],
    "reviewer1": ["/screening/reviews"],
    "host1": ["/sessions"],
    "organiser1": ["/organise/", "/training/courses"],
    "bank01": ["/lender/products", "/lender/applications"],
    "gov01": ["/government"],
    "admin": ["/admin/"],
}
OUT = SCREENSHOTS / "pages"


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.rstrip("/") or "/")


def links_on(page: Page, server: str) -> list[str]:
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != server or url.query or SKIP.search(url.path):
            continue
        paths.append(url.path)
    return paths


def walk(page: Page, server: str, starts: list[str]):
    """Yield each page reached from `starts` by following links breadth first, one per URL shape."""
    queue, seen = list(starts), set()
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if shape(path) in seen:
            continue
        seen.add(shape(path))
        response = page.goto(path)
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        if urlsplit(page.url).path != path and shape(urlsplit(page.url).path) in seen:
            continue  # redirected to a page already checked
        yield path, response.status
        queue += links_on(page, server)


CASES = [(role, language) for role in START for language in ("zh_CN", "en")]


@pytest.mark.parametrize("role, language", CASES)
def test_every_page_fits_phones_and_laptops_and_passes_axe(browser, server, role, language):
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {OUT}")
    context = browser.new_context(base_url=server, locale="zh-CN", bypass_csp=True,
                                  viewport={"width": WIDTHS["laptop"][0], "height": WIDTHS["laptop"][1]})
    context.add_cookies([{"name": "lang", "value": language, "url": server}])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    problems: list[str] = []
    watch_console(page, problems)
    try:
        if role != "visitor":
            page.goto("/login")
            page.fill("[name=email]", f"{role}@roadshow.demo")
            page.fill("[name=password]", DEMO_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda url: "/login" not in url)
        visited = 0
        for path, status in walk(page, server, START[role]):
            assert status < 500, f"{path} answered {status}"
            visited += 1
            slug = re.sub(r"[^a-z0-9]+", "-", shape(path).lower()).strip("-") or "home"
            for width_name, (width, height) in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_timeout(50)
                problems += [f"{path} at {width}px ({language}): {p}"
                             for p in check_page(page, english=language == "en")]
                page.screenshot(path=OUT / f"{language}-{role}-{slug}-{width}.png", full_page=True)
            page.set_viewport_size({"width": WIDTHS["laptop"][0], "height": WIDTHS["laptop"][1]})
            problems += [f"{path} with the keyboard ({language}): {p}" for p in keyboard_problems(page)]
        assert visited >= len(START[role]), "the walk reached fewer pages than it started from"
    finally:
        context.close()
        (OUT / f"problems-{language}-{role}.txt").write_text("\n".join(problems) + "\n")
    assert problems == [], "\n".join(problems)
