"""In Chromium: the language switcher turns the site English (and back), across pages and a login."""
import re

from playwright.sync_api import expect

from ..support.catalogs import ensure_compiled

ensure_compiled()  # before the session's server starts: it loads the compiled catalogs


def nav(page):
    return page.locator("nav.site-nav")


def test_switching_to_english_shows_english_pages(open_page, screenshot):
    page = open_page()  # a Chinese browser (zh-CN)
    page.goto("/calendar")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(nav(page).get_by_role("link", name="路演日程")).to_be_visible()

    nav(page).get_by_role("link", name="EN", exact=True).click()
    expect(page).to_have_url(re.compile(r"/calendar$"))  # back on the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav(page).get_by_role("link", name="Roadshows")).to_be_visible()
    expect(nav(page).get_by_text("路演日程")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("路演日历")
    screenshot(page, "calendar-english")

    page.goto("/")
    expect(page.get_by_text("A roadshow every day, matching any time").first).to_be_visible()
    page.goto("/projects")
    page.locator("a[href^='/projects/']").first.click()
    expect(page.get_by_text("Amount sought").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"CNY \d")).first).to_be_visible()
    screenshot(page, "project-english")

    # the choice survives logging in (which starts a fresh session)
    page.goto("/login")
    page.fill("[name=email]", "investor01@roadshow.demo")
    page.fill("[name=password]", "roadshow-demo-2026")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login(\?|$)"))
    # an investor's English bar, with three pages of their own, folds into the menu button below 1400px
    nav(page).get_by_role("button", name="Toggle navigation").click()
    expect(nav(page).get_by_role("link", name="My bookings")).to_be_visible()

    nav(page).get_by_role("link", name="中文", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(nav(page).get_by_role("link", name="我的预约")).to_be_visible()
