"""Fund disclosure: exact amounts, LP shares, 返投, portfolio; every change versioned and public; verification state."""
import io
import re

import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.investors.models import Fund, FundDisclosureVersion
from roadshow.projects.models import ProjectStatus
from roadshow_demo.official_lists import HEADERS, list_bytes
from tests.investors.test_investors_pages import fund_form


def disclosure_form(**overrides):
    return fund_form(**{
        "registration_code": "sxy123", "vintage_year": "2021", "term_years": "8", "investment_period_years": "4",
        "committed_size": "1,234,567,890.12", "paid_in_size": "617283945.06", "guidance_share": "30",
        "state_capital_share": "45.5", "reinvest_region": "武汉东湖高新区", "reinvest_share": "120",
        "portfolio": "", "contact": "李经理 027-87654321", **overrides})


def test_disclosure_is_public_exact_and_every_change_is_in_the_history(client, db, make_user, make_institution, make_company, make_project, switch_to):
    member = make_user(Role.INVESTOR, name="张披露")
    institution = make_institution(member=member)
    fund = institution.funds[0]
    project = make_project(make_company(), ProjectStatus.APPROVED, title="硅光互连芯片")
    switch_to(member)
    form = disclosure_form(reinvest_share="100", portfolio=f"#{project.id}\n某未上平台的激光企业")
    response = client.post(f"/my/institution/funds/{fund.id}/edit", data=form, follow_redirects=True)
    assert "基金信息已保存" in response.get_data(as_text=True)
    db.session.refresh(fund)
    assert str(fund.committed_size) == "1234567890.12" and str(fund.paid_in_size) == "617283945.06"
    assert fund.registration_code == "SXY123" and str(fund.state_capital_share) == "45.50"

    client.post(f"/my/institution/funds/{fund.id}/edit", data={**form, "paid_in_size": "900000000.00"})
    client.post("/logout")
    html = client.get(f"/funds/{fund.id}").get_data(as_text=True)  # anonymous visitor
    assert "1,234,567,890.12元" in html and "900,000,000.00元" in html and "45.50%" in html
    assert "武汉东湖高新区" in html and "李经理 027-87654321" in html
    assert f'href="/projects/{project.id}"' in html and "某未上平台的激光企业" in html
    history = html[html.index('id="history"'):]
    assert history.count("修改人：张披露") == 2 and "第 2 版" in history
    latest = history[:history.index("第 1 版")]
    assert "617283945.06" in latest and "900000000.00" in latest and "1234567890.12" not in latest  # only what changed
    versions = db.session.scalars(sa.select(FundDisclosureVersion).order_by(FundDisclosureVersion.number)).all()
    assert [v.number for v in versions] == [1, 2] and versions[1].changes == {"paid_in_size": ["617283945.06", "900000000.00"]}


def test_impossible_disclosures_are_refused_and_nothing_is_written(client, db, make_user, make_institution, switch_to):
    member = make_user(Role.INVESTOR)
    fund = make_institution(member=member).funds[0]
    switch_to(member)
    for overrides, message in (
        ({"paid_in_size": "2000000000"}, "实缴规模不能大于认缴规模"),
        ({"guidance_share": "100.5"}, "100"),
        ({"committed_size": "100.005"}, "最多两位小数"),
        ({"committed_size": "NaN"}, "有效的数字"),
        ({"investment_period_years": "9"}, "投资期不能长于存续期"),
        ({"portfolio": "#999999"}, "没有公开的项目"),
    ):
        response = client.post(f"/my/institution/funds/{fund.id}/edit", data=disclosure_form(**overrides))
        assert response.status_code in (200, 400) and message in response.get_data(as_text=True), overrides
    db.session.refresh(fund)
    assert fund.committed_size is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FundDisclosureVersion)) == 0


def test_a_fund_on_the_official_registration_list_shows_as_verified(client, db, make_user, make_institution, switch_to):
    member = make_user(Role.INVESTOR)
    fund = make_institution(member=member).funds[0]
    switch_to(member)
    client.post(f"/my/institution/funds/{fund.id}/edit", data=disclosure_form())
    page = client.get(f"/funds/{fund.id}").get_data(as_text=True)
    assert 'data-verified="false"' in page and "尚未与官方备案名单核对" in page

    switch_to(make_user(Role.ADMIN))
    data = list_bytes(HEADERS["fund"], [("SXY123", fund.name, "长江资本", "2021-06-30")])
    preview = client.post("/admin/official-lists/", data={"kind": "fund", "source": "基金业协会备案公示",
                                                          "file": (io.BytesIO(data), "funds.xlsx")},
                          content_type="multipart/form-data").get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', preview[preview.index("/official-lists/apply"):]))
    client.post("/admin/official-lists/apply", data=fields)
    page = client.get(f"/funds/{fund.id}").get_data(as_text=True)
    assert 'data-verified="true"' in page and "基金业协会备案公示" in page and "2021-06-30" in page
