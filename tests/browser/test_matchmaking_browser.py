"""In Chromium: the demo's matchmaking day — an investor changes a mark, the admin looks at the grid, moves a
meeting and publishes, the investor and a startup see their agendas; every page fits a phone (390 px) and a
laptop (1366 px) in both languages."""
import sqlite3
from contextlib import closing

from playwright.sync_api import expect

from ..support.catalogs import ensure_compiled

ensure_compiled()  # before the session's server starts: it loads the compiled catalogs


def demo_day(server_database) -> tuple[int, str]:
    """The demo day's id, and the email of a founder whose startup takes part."""
    with closing(sqlite3.connect(server_database)) as db:
        day_id, project_id = db.execute(
            "SELECT d.id, p.project_id FROM matchmaking_days d JOIN matchmaking_parties p ON p.day_id = d.id "
            "WHERE p.project_id IS NOT NULL ORDER BY p.id LIMIT 1").fetchone()
        email = db.execute("SELECT u.email FROM users u JOIN projects p ON p.company_id = u.company_id "
                           "WHERE p.id = ? ORDER BY u.id LIMIT 1", (project_id,)).fetchone()[0]
    return day_id, email


def fits(page, name, screenshot):
    """Nothing wider than the window but the grid's own scroller, in both languages, at both widths."""
    here = page.evaluate("location.pathname")
    for language in ("zh_CN", "en"):
        page.goto(f"/lang/{language}?next={here}")
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at {width}px ({language}) is {overflow}px too wide"
            screenshot(page, f"matchmaking-{name}-{language}-{width}")
    page.goto(f"/lang/zh_CN?next={here}")


def test_a_matchmaking_day_from_marks_to_agendas(open_page, server_database, screenshot):
    day_id, founder_email = demo_day(server_database)

    investor = open_page("investor01@roadshow.demo")
    investor.goto(f"/matchmaking/{day_id}")
    first = investor.locator("select[name^=mark-]").first
    first.select_option("must")
    investor.get_by_role("button", name="保存意向").click()
    expect(investor.locator(".alert-success")).to_contain_text("意向已保存")
    expect(investor.locator("select[name^=mark-]").first).to_have_value("must")
    fits(investor, "marks", screenshot)

    admin = open_page("admin@roadshow.demo")
    admin.goto(f"/matchmaking/{day_id}/schedule")
    grid = admin.locator("table.matchmaking-grid")
    expect(grid.locator("td a").first).to_be_visible()
    fits(admin, "grid", screenshot)
    grid.locator("td a").first.click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("调整约见")
    fits(admin, "move", screenshot)
    admin.locator("form[action$='/pin'] button").click()  # pin it where it is
    expect(admin.locator(".alert-success")).to_contain_text("已固定")
    expect(admin.locator("table.matchmaking-grid .bi-pin-angle-fill")).to_have_count(1)
    admin.get_by_role("button", name="发布日程").click()
    expect(admin.locator(".alert-success")).to_contain_text("日程已发布")

    investor.goto(f"/matchmaking/{day_id}")
    expect(investor.get_by_role("heading", name="我的日程")).to_be_visible()
    fits(investor, "agenda", screenshot)
    founder = open_page(founder_email)
    founder.goto(f"/matchmaking/{day_id}")
    expect(founder.get_by_role("heading", name="我的日程")).to_be_visible()
    expect(founder.locator("table tbody tr").first).to_be_visible()
    fits(founder, "startup-agenda", screenshot)
