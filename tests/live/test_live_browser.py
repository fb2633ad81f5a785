"""The live page in a real browser (Chromium through Playwright, skipped when it is not installed):
questions from other attendees appear live, and user text is shown as text, never run as markup."""
import os
import shutil

import pytest

from ..conftest import PASSWORD
from ..support.live_client import RoomClient, logged_in
from .test_live_e2e import server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
XSS = "<img src=x onerror=alert(1)>"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}")


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def expect(locator):
    """Playwright's assertions (they wait, and run outside the page, so the CSP does not stop them)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def open_room(browser, base: str, email: str, session_id: int):
    page = browser.new_page(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/live/{session_id}")
    page.wait_for_selector("#live-conn[data-state=ok]")
    return page


def test_live_page_shows_an_xss_question_as_text_and_updates_live(app, live_room, tmp_path, browser):
    alice, bob = live_room.investors
    session_id = live_room.session.id
    with server(app, tmp_path) as base:
        dialogs = []
        page = open_room(browser, base, bob.email, session_id)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        host = open_room(browser, base, live_room.host.email, session_id)
        host.click("#live-advance")  # the first project's pitch: its card and timer show
        expect(page.locator("#live-title")).to_have_text(live_room.slots[0].project.title)

        asker = RoomClient(base, logged_in(base, alice.email), session_id)
        try:
            asker.wait_for("state")
            assert asker.sio.call("ask", {"body": XSS}, timeout=10)["ok"]
        finally:
            asker.close()
        body = page.locator("#live-questions [data-field=body]").first
        body.wait_for()
        assert body.text_content() == XSS
        assert page.locator("#live-questions img").count() == 0
        page.locator("#live-questions [data-action=vote]").first.click()
        expect(page.locator("#live-questions [data-field=votes]").first).to_have_text("1")
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.locator("#live-timer").text_content() != "--:--"
        if os.environ.get("LIVE_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["LIVE_SCREENSHOTS"], "attendee.png"), full_page=True)
            host.screenshot(path=os.path.join(os.environ["LIVE_SCREENSHOTS"], "host.png"), full_page=True)
