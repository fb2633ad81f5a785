"""End to end in Chromium: a startup's project goes from registration to a roadshow's lineup (an admin
approves it, selects its application, the scheduling job gives it a slot), then a new investor books a seat
in that roadshow; a startup asks an investor for a meeting, the investor accepts with a slot and they talk;
screenshots of the main pages along the way."""
import random
import re
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from uuid import uuid4

from playwright.sync_api import expect

from roadshow.projects.credit_code import ALPHABET, check_character

from ..conftest import pdf_bytes


def new_credit_code() -> str:
    """Authority, category, a Wuhan region code, then a random organisation code, and the check character."""
    body = "91420100" + "".join(random.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def flashed(page):
    """The success message flashed after a form (not other green notes on the page)."""
    return page.locator(".alert-success[role=alert]")


def register(page, mailbox, role: str, name: str, email_prefix: str, password: str) -> None:
    """Sign up through the registration form as `role` (the label of its radio), open the link mailed to the
    address and confirm it, and see it succeed."""
    email = f"{email_prefix}-{uuid4().hex[:8]}@example.com"
    page.goto("/register")
    page.locator("label", has_text=role).click()  # the role radios are drawn as buttons
    page.fill("[name=name]", name)
    page.fill("[name=email]", email)
    page.fill("[name=password]", password)
    page.fill("[name=confirm]", password)
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()
    page.goto(re.search(r"https?://\S+/register/confirm/\S+", mailbox(email)).group(0))
    page.get_by_role("button", name="确认并登录").click()
    expect(flashed(page)).to_contain_text("注册成功")


def test_startup_project_is_approved_and_scheduled_and_an_investor_books_its_roadshow(open_page, mailbox, screenshot):
    title = f"800G 硅光模块量产线 {uuid4().hex[:4]}"

    # a startup registers, registers its company, creates a project, uploads its deck and submits it
    startup = open_page()
    register(startup, mailbox, "创业企业", "周光谷", "founder", "Guanggu-Silicon-2026!")

    startup.goto("/my/company")
    startup.fill("[name=name]", f"武汉光谷芯光科技有限公司{uuid4().hex[:4]}")
    startup.fill("[name=credit_code]", new_credit_code())
    startup.select_option("[name=industry_chain]", "optoelectronics")
    startup.fill("[name=founded_year]", "2019")
    startup.fill("[name=headcount]", "48")
    startup.fill("[name=intro]", "专注数据中心硅光互连，产品已在头部云厂商验证。")
    startup.get_by_role("button", name="登记企业").click()
    expect(flashed(startup)).to_be_visible()

    startup.goto("/my/projects/new")
    startup.fill("[name=title]", title)
    startup.fill("[name=pitch]", "面向 AI 数据中心的 800G 硅光模块，功耗降低 30%")
    startup.fill("[name=description]", "核心技术：硅光调制器与 CPO 封装。客户：三家头部云厂商小批量验证。")
    startup.fill("[name=amount_sought]", "3000")
    startup.fill("[name=use_of_funds]", "产线扩建与车规级认证")
    startup.get_by_role("button", name="创建项目").click()
    expect(startup).to_have_url(re.compile(r"/my/projects/\d+/edit"))
    project_id = int(re.search(r"/my/projects/(\d+)/", startup.url).group(1))

    startup.set_input_files("[name=deck]", files=[{"name": "deck.pdf", "mimeType": "application/pdf",
                                                    "buffer": pdf_bytes(pages=6)}])
    startup.get_by_role("button", name="上传").click()
    expect(flashed(startup)).to_be_visible()
    startup.locator(f"form[action='/my/projects/{project_id}/submit'] button").click()
    expect(flashed(startup)).to_be_visible()
    startup.goto("/my/projects")
    expect(startup.get_by_text(title)).to_be_visible()

    # an admin starts the review and approves: the project is public
    admin = open_page("admin@roadshow.demo")
    screenshot(admin, "admin-dashboard")
    admin.goto("/admin/reviews")
    admin.locator(f"form[action='/admin/reviews/{project_id}/start'] button").click()
    admin.locator(f"form[action='/admin/reviews/{project_id}/approve'] button").click()
    expect(flashed(admin)).to_contain_text(title)

    # the startup applies to pitch in a roadshow that is calling for projects; the admin selects it
    # and runs the nightly scheduling job now, which gives the project a slot in that roadshow
    startup.goto(f"/screening/apply?project_id={project_id}")
    target = startup.locator("[name=target] option[value^='session:']").first.get_attribute("value")
    session_id = int(target.split(":")[1])
    startup.select_option("[name=target]", target)
    startup.get_by_role("button", name="提交申请").click()
    expect(flashed(startup)).to_be_visible()
    admin.goto("/screening/admin/applications")
    admin.locator("tr", has_text=title).get_by_role("link", name="评审与结论").click()
    admin.locator("form[action$='/accept'] button").click()
    expect(flashed(admin)).to_be_visible()
    admin.goto("/admin/jobs/")
    admin.locator("form[action='/admin/jobs/horizon_fill/run'] button").click()
    expect(flashed(admin)).to_contain_text("已运行完成")

    visitor = open_page()
    visitor.goto("/projects")
    expect(visitor.get_by_text(title)).to_be_visible()
    screenshot(visitor, "project-library")
    visitor.goto(f"/projects/{project_id}")
    expect(visitor.locator("h1")).to_contain_text(title)
    expect(visitor.locator(f"a[href='/sessions/{session_id}']").first).to_be_visible()  # where it pitches
    screenshot(visitor, "project-page")

    # a newly registered investor books a seat in that roadshow
    investor = open_page()
    register(investor, mailbox, "投资机构", "江投资", "investor", "Changjiang-Capital-2026!")
    investor.goto(f"/sessions/{session_id}")
    expect(investor.get_by_text(title)).to_be_visible()  # in the lineup
    screenshot(investor, "session-page")
    investor.get_by_role("button", name="预约席位").click()
    expect(flashed(investor)).to_contain_text("预约成功")
    session_title = investor.locator("h1").inner_text()
    investor.goto("/my/bookings")
    expect(investor.get_by_text(session_title).first).to_be_visible()
    screenshot(investor, "my-bookings")


def test_public_pages_render_in_chinese(open_page, screenshot):
    """Home, calendar, agenda and institutions: real layout, CJK text, no script errors."""
    page = open_page()
    for path, name in [("/", "home"), ("/calendar", "calendar"), ("/sessions", "sessions"),
                       ("/institutions", "institutions")]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("nav.navbar")).to_contain_text("路演日程")
        screenshot(page, name)


def demo_pair(server_database) -> tuple[str, int, str, int]:
    """A demo startup with a public project and a demo investor of a verified institution:
    (startup email, project id, investor email, institution id)."""
    with closing(sqlite3.connect(server_database)) as db:
        investor, institution_id = db.execute(
            "SELECT u.email, i.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'investor' "
            "JOIN institutions i ON i.id = u.institution_id "
            "WHERE i.verification_status = 'verified' AND u.email LIKE 'investor%@roadshow.demo' "
            "ORDER BY u.id LIMIT 1").fetchone()
        # a project the institution is not already talking about
        startup, project_id = db.execute(
            "SELECT u.email, p.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'startup' "
            "JOIN projects p ON p.company_id = u.company_id "
            "WHERE p.status IN ('approved', 'scheduled', 'presented') AND u.email LIKE '%@roadshow.demo' "
            "AND NOT EXISTS (SELECT 1 FROM meeting_requests m WHERE m.project_id = p.id AND "
            "m.institution_id = ? AND m.status IN ('requested', 'proposed', 'accepted')) "
            "ORDER BY u.id, p.id LIMIT 1", (institution_id,)).fetchone()
    return startup, project_id, investor, institution_id


def test_startup_asks_an_investor_who_accepts_with_a_slot_and_they_exchange_messages(open_page, server_database,
                                                                                     screenshot):
    startup_email, project_id, investor_email, institution_id = demo_pair(server_database)

    # the startup publishes an online slot, then asks the institution from its page
    startup = open_page(startup_email)
    startup.goto("/meetings/availability")
    startup.fill("[name=day]", (date.today() + timedelta(days=45)).isoformat())  # clear of the demo's slots
    startup.fill("[name=start]", "07:15")
    startup.select_option("[name=mode]", "online")
    startup.fill("[name=meeting_link]", "https://meeting.example.com/roadshow-demo")
    startup.get_by_role("button", name="发布", exact=True).click()
    expect(flashed(startup)).to_contain_text("已发布可约时段")
    startup.goto(f"/institutions/{institution_id}")
    startup.get_by_role("link", name="约见该机构").click()
    startup.select_option("[name=project_id]", str(project_id))
    startup.fill("[name=message]", "我们正在进行 A 轮融资，希望向贵机构介绍产品与客户进展。")
    startup.get_by_role("button", name="发送约见请求").click()
    expect(flashed(startup)).to_contain_text("约见请求已发送")
    screenshot(startup, "meetings-startup-asked")

    # the investor accepts with that slot
    investor = open_page(investor_email)
    investor.goto("/meetings/")
    investor.locator("tr", has_text="项目方发起").get_by_role("link", name="查看").first.click()
    expect(investor.get_by_text("A 轮融资")).to_be_visible()
    slot = investor.locator("#accept [name=slot_id] option", has_text="07:15").get_attribute("value")
    investor.select_option("#accept [name=slot_id]", slot)
    investor.get_by_role("button", name="接受并确认时间").click()
    expect(flashed(investor)).to_contain_text("已接受约见")
    expect(investor.get_by_text("https://meeting.example.com/roadshow-demo")).to_be_visible()
    meeting_url = investor.url

    # both open the conversation; the investor writes and the startup sees it arrive live, then answers
    startup.goto(meeting_url)
    startup.get_by_role("link", name="对话").click()
    expect(startup.locator("h1")).to_contain_text("对话")
    investor.get_by_role("link", name="对话").click()
    investor.fill("[name=body]", "期待线上交流，请准备客户验证数据。")
    investor.locator("form[action$='/messages'] button[type=submit]").click()
    expect(startup.locator("#conversation")).to_contain_text("请准备客户验证数据")  # no reload: live
    startup.fill("[name=body]", "好的，届时由 CTO 一起参加。")
    startup.locator("form[action$='/messages'] button[type=submit]").click()
    investor.reload()
    expect(investor.locator("#conversation")).to_contain_text("CTO 一起参加")
    screenshot(investor, "conversation")

    # the pages of the journey fit a phone (390 px) and a laptop (1366 px), in Chinese and in English
    conversation_url = investor.url
    pages = {investor: [meeting_url, "/meetings/", "/conversations/", conversation_url],
             startup: [f"/meetings/ask/{institution_id}", "/meetings/availability", meeting_url]}
    for code in ("zh_CN", "en"):
        for page, paths in pages.items():
            page.goto(f"/lang/{code}")
            for width in (390, 1366):
                page.set_viewport_size({"width": width, "height": 900})
                for path in paths:
                    page.goto(path)
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px window ({code})"
                screenshot(page, f"{'conversations' if page is investor else 'meetings-mine'}-{code}-{width}")
