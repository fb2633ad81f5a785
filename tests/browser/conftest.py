"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser) against the
real server (`python wsgi.py` on a free port, fresh SQLite database with the demo data).

Fixtures: `server` (base URL), `mailbox(address)` (the newest email queued for it), `open_page(email=None)` (a page in its own browser context, logged in
through the login form when an email is given), `screenshot(page, name)` (saved under
test-artifacts/screenshots/). Each page fails the test on an uncaught JavaScript error.
"""
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ..support.server import ROOT, prepare_database, running_server, server_env

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "roadshow-demo-2026"
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (scripts/install-system-deps.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_database(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-server") / "server.sqlite3"


@pytest.fixture(scope="session")
def server(browser, server_database):
    """The real server on a fresh SQLite database with the demo data, for the whole browser session."""
    folder = server_database.parent
    env = server_env(folder, DATABASE_URL=f"sqlite:///{server_database}", SCHEDULER_ENABLED="0")
    prepare_database(env)
    with running_server(env, folder / "server.log") as base:
        yield base


@pytest.fixture
def open_page(browser, server):
    contexts, errors = [], []

    def open_page(email: str | None = None, password: str = DEMO_PASSWORD) -> Page:
        context = browser.new_context(base_url=server, locale="zh-CN", viewport={"width": 1280, "height": 900})
        # Chinese chosen on this browser: the login then keeps the user in Chinese even if an earlier test
        # (the English walk) left their saved language at English.
        context.add_cookies([{"name": "lang", "value": "zh_CN", "url": server}])
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # buttons with data-confirm ask first
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        if email:
            page.goto("/login")
            page.fill("[name=email]", email)
            page.fill("[name=password]", password)
            page.get_by_role("button", name="登录", exact=True).click()
            expect(page).not_to_have_url(re.compile(r"/login(\?|$)"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], "JavaScript errors on the pages"


@pytest.fixture
def mailbox(server_database):
    """`mailbox(address)`: the newest email the server queued for that address (from its outbox), as the
    user would open it in their mail program."""

    def newest(address: str) -> str:
        with closing(sqlite3.connect(server_database)) as db:
            row = db.execute("SELECT body FROM outbox_emails WHERE to_address = ? ORDER BY id DESC LIMIT 1",
                             (address,)).fetchone()
        assert row is not None, f"no email for {address}"
        return row[0]

    return newest


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take
