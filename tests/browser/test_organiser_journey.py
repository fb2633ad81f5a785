"""End to end in Chromium (issue 23): an organisation applies to organise and an admin approves it; its
organiser account creates a capital-market training series and a session in it; a startup registers
for the session; at the door, staff scan the QR code of its ticket (a picture of the ticket's code fed
to the door page) and the attendance shows on the session's attendee list, in the organiser's
statistics and in the center's."""
import re
from datetime import timedelta
from uuid import uuid4

from playwright.sync_api import expect

from roadshow.common.timeutil import to_local, utcnow

from .test_journeys import flashed, register


def local_input(moment) -> str:
    """A datetime-local field's value, in Beijing time as the forms take it."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_organisation_applies_runs_a_training_session_and_checks_a_startup_in(open_page, mailbox, screenshot,
                                                                                 tmp_path):
    tag = uuid4().hex[:4]
    organisation, series_name = f"光谷资本市场学院{tag}", f"上市规则训练营{tag}"

    # someone of the organisation signs up and applies to organise
    applicant = open_page()
    register(applicant, mailbox, "投资机构", "钱培训", "trainer", "Capital-Training-2026!")
    applicant.goto("/organise/apply")
    applicant.fill("[name=name]", organisation)
    applicant.select_option("[name=kind]", "institution")
    applicant.fill("[name=contact_name]", "钱培训")
    applicant.fill("[name=intro]", "面向上市后备企业举办资本市场培训：科创板、北交所上市规则与规范治理。")
    applicant.get_by_role("button", name="提交申请").click()
    expect(flashed(applicant)).to_contain_text(organisation)

    # the center's admin approves it
    admin = open_page("admin@roadshow.demo")
    admin.goto("/admin/organisers/")
    admin.locator(".card", has_text=organisation).get_by_role("button", name="批准").click()
    expect(flashed(admin)).to_contain_text(organisation)

    # its organiser account creates a training series, a place of its own and a session that began a moment ago
    applicant.goto("/organise/")
    expect(applicant.locator("h1")).to_contain_text(organisation)
    applicant.goto("/organise/series/new")
    applicant.fill("[name=name]", series_name)
    applicant.fill("[name=slug]", f"ipo-camp-{tag}")
    applicant.select_option("[name=kind]", "training")
    applicant.get_by_role("button", name="保存").click()
    expect(flashed(applicant)).to_contain_text(series_name)
    applicant.goto("/organise/venues")
    applicant.fill("[name=name]", f"学院培训教室{tag}")
    applicant.fill("[name=address]", "武汉市东湖高新区光谷大道 77 号")
    applicant.fill("[name=capacity]", "60")
    applicant.get_by_role("button", name="添加").click()
    expect(flashed(applicant)).to_be_visible()

    applicant.goto("/organise/")
    applicant.locator(".card", has_text=series_name).get_by_role("link", name="新建路演").click()
    session_title = f"科创板上市规则解读 · 第一讲 {tag}"
    applicant.fill("[name=title]", session_title)
    applicant.select_option("[name=venue_id]", label=f"学院培训教室{tag}")
    started = utcnow() - timedelta(minutes=20)  # held now: the statistics count sessions that began
    applicant.fill("[name=starts_at]", local_input(started))
    applicant.fill("[name=ends_at]", local_input(started + timedelta(hours=2)))
    applicant.fill("[name=capacity]", "10")
    applicant.fill("[name=startup_capacity]", "30")  # a training session is for startups
    applicant.select_option("[name=status]", "scheduled")
    applicant.get_by_role("button", name="保存").click()
    expect(flashed(applicant)).to_contain_text(session_title)
    row = applicant.locator("tr", has_text=session_title)
    session_id = int(re.search(r"/sessions/(\d+)", row.get_by_role("link", name="查看").get_attribute("href")).group(1))
    screenshot(applicant, "organiser-desk")

    # the public page names the organiser; a startup registers for the session and opens its ticket
    startup = open_page()
    register(startup, mailbox, "创业企业", "孙上市", "listing", "Listing-Ready-2026!")
    startup.goto(f"/sessions/{session_id}")
    expect(startup.get_by_text(organisation).first).to_be_visible()
    startup.get_by_role("button", name="以创业企业身份报名").click()
    expect(flashed(startup)).to_be_visible()
    startup.locator("a[href^='/checkin/bookings/']").first.click()
    ticket = tmp_path / "ticket.png"
    startup.locator("img.checkin-qr").screenshot(path=ticket)  # the QR code as the ticket shows it
    screenshot(startup, "startup-ticket")

    # at the door, the organiser's phone reads the ticket's QR code from a picture of it
    applicant.goto(f"/checkin/sessions/{session_id}")
    applicant.set_input_files("#checkin-photo", str(ticket))
    expect(applicant.locator(".alert-success")).to_contain_text("签到成功：孙上市")
    expect(applicant.get_by_text("到场 1 / 预约 1")).to_be_visible()
    expect(applicant.locator("tr", has_text="孙上市")).to_contain_text(to_local(utcnow()).strftime("%m-%d "))  # when
    screenshot(applicant, "organiser-door")

    # the attendance in the organiser's statistics: the session's row and the series' figures
    applicant.goto("/organise/")
    expect(applicant.locator("tr", has_text=session_title)).to_contain_text("1 / 1")
    expect(applicant.locator(".card", has_text=series_name).locator("[data-series-figures]")).to_contain_text("签到 1")
    # and in the center's statistics, per session and per series, once the clock has made the session live
    admin.goto("/admin/jobs/")
    admin.locator("form[action='/admin/jobs/session_lifecycle/run'] button").click()
    expect(flashed(admin)).to_contain_text("已运行完成")
    admin.goto("/admin/stats/")
    expect(admin.locator("tr", has_text=session_title).first).to_contain_text("100")
    expect(admin.locator("tr", has_text=series_name).first).to_be_visible()
