"""The live room in two Chromium pages: the host opens it with questions reviewed first, a seated investor
asks, the host approves, and both pages show the question (Socket.IO over a real WebSocket)."""
import re

from playwright.sync_api import expect


def find_session_run_by(host_page) -> int:
    """A session of the demo agenda that this host runs and that has not gone live yet."""
    host_page.goto("/sessions")
    for link in host_page.locator("a[href^='/sessions/']").evaluate_all("links => links.map(a => a.href)"):
        host_page.goto(link)
        if host_page.get_by_role("link", name="进入直播间（主持）").count():
            return int(re.search(r"/sessions/(\d+)", link).group(1))
    raise AssertionError("the demo host runs no upcoming session")


def connected(page):
    expect(page.locator("#live-conn")).to_have_attribute("data-state", "ok")


def test_investor_asks_host_approves_both_pages_show_it(open_page, screenshot):
    host = open_page("host1@roadshow.demo")
    session_id = find_session_run_by(host)

    investor = open_page("investor03@roadshow.demo")
    investor.goto(f"/sessions/{session_id}")
    book = investor.get_by_role("button", name="预约席位")
    if book.count():  # the demo data may already hold a seat for this investor
        book.click()
    expect(investor.get_by_role("button", name="取消预约")).to_be_visible()

    host.goto(f"/live/{session_id}")
    connected(host)
    host.get_by_role("button", name="开启直播间").click()  # days early: the host confirms (dialogs are accepted)
    expect(host.get_by_role("button", name="开启直播间")).to_be_hidden()  # the room is live, the switches work
    host.locator("#live-premod").check()  # questions wait for the host's approval
    investor.goto(f"/live/{session_id}")
    connected(investor)
    expect(investor.locator("#live-premod-note")).to_be_visible()
    # the investor's institution is among those present, with how many there are in all
    expect(host.locator("#live-institutions .badge")).not_to_have_count(0)
    expect(host.locator("#live-institution-count")).to_have_text(re.compile(r"^\(\d+\)$"))

    question = "贵司 800G 模块的良率爬坡计划是怎样的？"
    host.locator("#live-poll-question").focus()  # the host is typing elsewhere when the question arrives
    investor.fill("#live-ask-body", question)
    investor.locator("#live-ask button[type=submit]").click()
    mine = investor.locator(".live-question", has_text=question)
    expect(mine.locator("[data-flag=pending]")).to_be_visible()  # the author sees it, waiting for review

    pending = host.locator(".live-question", has_text=question)
    expect(pending.locator("[data-flag=pending]")).to_be_visible()
    # a screen reader hears the new question (a polite live region) and the host's focus stays where it was
    expect(host.locator("#live-sr-questions[aria-live=polite]")).to_contain_text(question)
    assert host.evaluate("() => document.activeElement.id") == "live-poll-question"
    pending.locator("[data-moderate=approve]").click()

    for page in (host, investor):
        item = page.locator(".live-question", has_text=question)
        expect(item).to_be_visible()
        expect(item.locator("[data-flag=pending]")).to_be_hidden()
    screenshot(host, "live-room-host")
    screenshot(investor, "live-room-investor")

    # A poll: the host launches it, the investor votes, the host's bars move, then everyone sees the results.
    host.fill("#live-poll-question", "您最关注哪项指标？")
    host.fill("#live-poll-options", "良率\n产能\n客户")
    host.locator("#live-poll-form button[type=submit]").click()
    poll = investor.locator(".live-poll", has_text="您最关注哪项指标？")
    poll.get_by_label("产能").check()
    poll.get_by_role("button", name="投票").click()
    expect(poll).to_contain_text("您已投票")
    hosted = host.locator(".live-poll", has_text="您最关注哪项指标？")
    expect(hosted).to_contain_text("1 · 100%")
    hosted.get_by_role("button", name="结束投票并公布结果").click()
    expect(poll).to_contain_text("投票已结束")
    expect(poll).to_contain_text("1 · 100%")
    for width in (390, 1366):
        for page, who in ((host, "host"), (investor, "investor")):
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"live-room-poll-{who}-{width}")
