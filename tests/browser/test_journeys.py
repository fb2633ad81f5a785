"""End to end in Chromium: a startup's project goes from registration to a roadshow's lineup (an admin
approves it, selects its application, the scheduling job gives it a slot), then a new investor books a seat
in that roadshow; screenshots of the main pages along the way."""
import random
import re
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
