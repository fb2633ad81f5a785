"""The deck viewer in Chromium: pdf.js (vendored) renders the deck page by page under the CSP, with the
reader's watermark; the pages the investor read reach the analytics page that admins and the company see."""
import re

from playwright.sync_api import expect

from ..support.catalogs import ensure_compiled

ensure_compiled()


def a_project_with_a_deck(page) -> str:
    page.goto("/projects")
    for link in page.locator("a[href^='/projects/']").evaluate_all("links => links.map(a => a.href)"):
        if re.search(r"/projects/\d+$", link):
            page.goto(link)
            if page.locator("a[href$='/deck/read']").count():
                return link
    raise AssertionError("no demo project with a deck")


def test_investor_reads_the_deck_and_the_admin_sees_which_pages(open_page, screenshot):
    investor = open_page("investor02@roadshow.demo")
    csp_errors = []
    investor.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    project_url = a_project_with_a_deck(investor)
    investor.locator("a[href$='/deck/read']").first.click()
    canvas = investor.locator("#deck-canvas")
    expect(canvas).to_have_attribute("data-rendered-page", "1", timeout=20_000)
    investor.get_by_role("button", name="下一页").click()
    expect(canvas).to_have_attribute("data-rendered-page", "2")
    expect(investor.locator("#deck-page-label")).to_contain_text("2")
    investor.wait_for_timeout(2500)  # page 2 stays visible a little
    for width in (390, 1366):
        investor.set_viewport_size({"width": width, "height": 900})
        screenshot(investor, f"deck-viewer-{width}")
    investor.goto(project_url)  # leaving the viewer reports page 2's time (pagehide)
    assert csp_errors == []

    admin = open_page("admin@roadshow.demo")
    admin.goto(project_url.rstrip("/") + "/deck/analytics")
    row = admin.locator("tr", has_text=re.compile("第 2 页"))
    expect(row.first).to_be_visible()
    screenshot(admin, "deck-analytics-1366")
    admin.get_by_role("link", name="EN", exact=True).click()
    expect(admin.get_by_text("Who read the deck").first).to_be_visible()
    expect(admin.get_by_text(re.compile(r"Page 2 · \d+ s")).first).to_be_visible()
    admin.set_viewport_size({"width": 390, "height": 900})
    screenshot(admin, "deck-analytics-english-390")
