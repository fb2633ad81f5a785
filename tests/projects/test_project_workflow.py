"""Registering a company, writing a project and moving it through the status workflow."""
import re
from decimal import Decimal

import pytest

from roadshow.accounts.models import Role
from roadshow.common.choices import District, IndustryChain, SrdiLevel, Stage
from roadshow.common.errors import RuleViolation
from roadshow.projects import credit_code, services
from roadshow.projects.models import Company, Project, ProjectStatus as S

VALID_CODE = "91350100M000100Y43"


def company_form(**changes) -> dict:
    data = {
        "name": "武汉光谷量子通信科技有限公司",
        "credit_code": VALID_CODE,
        "industry_chain": "optoelectronics",
        "stage": "pre_a",
        "city": "武汉",
        "founded_year": "2020",
        "headcount": "36",
        "patents_count": "14",
        "innovation_score": "82",
        "is_high_tech": "y",
        "srdi_level": "provincial",
        "university": "华中科技大学",
        "intro": "专注量子密钥分发设备。",
        "website": "https://quantum.example.cn",
    }
    data.update(changes)
    return data


def project_form(**changes) -> dict:
    data = {
        "title": "城域量子密钥分发网络",
        "pitch": "让政务专网用上抗量子攻击的加密通信",
        "description": "核心技术：诱骗态 BB84。\n已在武汉政务云试点。",
        "industry_chain": "networks_5g",
        "financing_round": "a",
        "amount_sought": "3000",
        "use_of_funds": "研发 60%，市场 40%",
    }
    data.update(changes)
    return data


# -- the credit code ------------------------------------------------------------------------

def test_credit_code_check_character():
    assert credit_code.is_valid(VALID_CODE)
    assert credit_code.is_valid(VALID_CODE.lower())  # entered in lower case
    assert not credit_code.is_valid("91350100M000100Y44")  # check character altered
    assert not credit_code.is_valid("91350100M000100Y4")  # one character short
    assert credit_code.check_character(VALID_CODE[:17]) == "3"


# -- the company form -----------------------------------------------------------------------

def test_startup_registers_its_company(client, db, make_user, login):
    user = make_user(Role.STARTUP)
    login(user)

    response = client.post("/my/company", data=company_form(credit_code=VALID_CODE.lower()))

    assert response.status_code == 302 and response.headers["Location"].endswith("/my/projects")
    company = db.session.get(Company, db.session.get(type(user), user.id).company_id)
    assert company.name == "武汉光谷量子通信科技有限公司"
    assert company.credit_code == VALID_CODE  # stored upper-case
    assert company.srdi_level == SrdiLevel.PROVINCIAL and company.is_high_tech
    assert company.innovation_score == 82
    assert "企业登记成功" in client.get("/my/projects").get_data(as_text=True)


def test_district_and_revenue_are_kept_exactly_and_shown_again(client, db, make_user, login):
    """What loan rules on region and revenue, and the government's districts, read: typed in 万元 with a separator."""
    user = make_user(Role.STARTUP)
    login(user)
    client.post("/my/company", data=company_form(district="east_lake", annual_revenue="1,234.56"))
    company = db.session.get(Company, db.session.get(type(user), user.id).company_id)
    assert (company.district, company.annual_revenue) == (District.EAST_LAKE, Decimal("12345600.00"))
    page = client.get("/my/company").get_data(as_text=True)
    assert 'value="1234.56"' in page and '<option selected value="east_lake">' in page
    client.post("/my/company", data=company_form(district="", annual_revenue=""))
    db.session.refresh(company)
    assert (company.district, company.annual_revenue) == (None, None)  # "not given", not zero


def test_company_form_rejects_a_wrong_check_character(client, db, make_user, login):
    login(make_user(Role.STARTUP))

    response = client.post("/my/company", data=company_form(credit_code="91350100M000100Y44"))

    assert response.status_code == 400
    assert "统一社会信用代码校验位不正确" in response.get_data(as_text=True)
    assert db.session.query(Company).count() == 0


def test_company_form_rejects_a_malformed_code(client, db, make_user, login):
    login(make_user(Role.STARTUP))

    response = client.post("/my/company", data=company_form(credit_code="91350100-000100Y4"))

    assert response.status_code == 400
    assert "统一社会信用代码应为 18 位" in response.get_data(as_text=True)
    assert db.session.query(Company).count() == 0


def test_company_form_rejects_a_credit_code_already_registered(client, db, make_user, make_company, login):
    make_company(credit_code=VALID_CODE)
    login(make_user(Role.STARTUP))

    response = client.post("/my/company", data=company_form())

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "该统一社会信用代码已被其他企业登记" in html
    assert 'id="credit_code"' in html and "is-invalid" in html
    assert db.session.query(Company).count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"founded_year": "1900"}, "成立年份应在 1949"),
        ({"innovation_score": "101"}, "创新积分应在 0–100 之间"),
        ({"headcount": "-1"}, "请输入有效的人数"),
        ({"website": "javascript://alert(1)"}, "网址须以 http:// 或 https:// 开头"),
        ({"name": "  "}, "请填写企业名称"),
        ({"annual_revenue": "-5"}, "营业收入不能为负数"),
        ({"annual_revenue": "一千万"}, "请填写数字金额"),
        ({"district": "atlantis"}, "不是有效的选择"),
    ],
)
def test_company_form_field_messages(client, db, make_user, login, changes, message):
    login(make_user(Role.STARTUP))
    response = client.post("/my/company", data=company_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Company).count() == 0


def test_startup_edits_its_company_and_keeps_its_own_code(client, db, make_user, make_company, login):
    owner = make_user(Role.STARTUP)
    company = make_company(owner)
    login(owner)

    page = client.get("/my/company").get_data(as_text=True)
    assert company.credit_code in page and company.name in page

    response = client.post("/my/company", data=company_form(name="改名后的公司", credit_code=company.credit_code))
    assert response.status_code == 302
    db.session.refresh(company)
    assert company.name == "改名后的公司"
    assert db.session.query(Company).count() == 1


# -- creating and editing projects -----------------------------------------------------------

def test_create_project_in_wan_yuan(client, db, make_user, make_company, login):
    owner = make_user(Role.STARTUP)
    company = make_company(owner, industry_chain=IndustryChain.AI)
    login(owner)

    form_page = client.get("/my/projects/new").get_data(as_text=True)
    assert '<option selected value="ai">' in form_page  # the company's chain is the default

    response = client.post("/my/projects/new", data=project_form(amount_sought="1500.5"))

    project = db.session.query(Project).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/my/projects/{project.id}/edit")
    assert project.company_id == company.id and project.status == S.DRAFT
    assert project.amount_sought == 15_005_000
    assert project.financing_round == Stage.A and project.industry_chain == IndustryChain.NETWORKS_5G


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"amount_sought": "0"}, "融资金额须大于 0"),
        ({"amount_sought": "-20"}, "融资金额须大于 0"),
        ({"amount_sought": "很多"}, "请填写数字金额（单位：万元）"),
        ({"amount_sought": "NaN"}, "请填写数字金额（单位：万元）"),
        ({"amount_sought": "1e999"}, "金额过大"),
        ({"amount_sought": "99999999999999999999999"}, "金额过大"),
        ({"pitch": "字" * 141}, "一句话介绍最多 140 字"),
        ({"title": ""}, "请填写项目名称"),
    ],
)
def test_project_form_field_messages(client, db, make_user, make_company, login, changes, message):
    owner = make_user(Role.STARTUP)
    make_company(owner)
    login(owner)

    response = client.post("/my/projects/new", data=project_form(**changes))

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Project).count() == 0


def test_edit_form_shows_amount_in_wan_and_saves(client, db, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    project = make_project(make_company(owner), amount_sought=30_000_000)
    login(owner)

    assert 'value="3000"' in client.get(f"/my/projects/{project.id}/edit").get_data(as_text=True)

    response = client.post(f"/my/projects/{project.id}/edit", data=project_form(title="新名字", amount_sought="800"))
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.title == "新名字" and project.amount_sought == 8_000_000


def test_other_companies_projects_are_404_on_the_desk(client, db, make_user, make_company, make_project, login):
    project = make_project(make_company(make_user(Role.STARTUP)))
    intruder = make_user(Role.STARTUP)
    make_company(intruder)
    login(intruder)

    assert client.get(f"/my/projects/{project.id}/edit").status_code == 404
    assert client.post(f"/my/projects/{project.id}/edit", data=project_form(title="hijack")).status_code == 404
    assert client.post(f"/my/projects/{project.id}/submit").status_code == 404
    assert client.post(f"/my/projects/{project.id}/withdraw").status_code == 404
    db.session.refresh(project)
    assert project.title != "hijack" and project.status == S.DRAFT


# -- submit, withdraw, edit lock -------------------------------------------------------------

def test_submit_needs_a_deck_then_locks_editing_until_withdrawn(client, db, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    project = make_project(make_company(owner))
    login(owner)

    # No deck yet: refused with a message, still a draft.
    response = client.post(f"/my/projects/{project.id}/submit", follow_redirects=True)
    assert "提交前请先上传路演材料" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == S.DRAFT

    from io import BytesIO
    from ..conftest import pdf_bytes

    client.post(
        f"/my/projects/{project.id}/deck",
        data={"deck": (BytesIO(pdf_bytes(2)), "bp.pdf")},
        content_type="multipart/form-data",
    )
    response = client.post(f"/my/projects/{project.id}/submit", follow_redirects=True)
    assert "已提交评审" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == S.SUBMITTED and project.submitted_at is not None

    # Editing is refused once submitted.
    response = client.get(f"/my/projects/{project.id}/edit", follow_redirects=True)
    assert "不能修改" in response.get_data(as_text=True)
    response = client.post(f"/my/projects/{project.id}/edit", data=project_form(title="偷偷改"), follow_redirects=True)
    db.session.refresh(project)
    assert project.title != "偷偷改"

    # Withdraw: back to draft, editable again.
    response = client.post(f"/my/projects/{project.id}/withdraw", follow_redirects=True)
    assert "已撤回为草稿" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == S.DRAFT
    assert client.get(f"/my/projects/{project.id}/edit").status_code == 200


def test_withdraw_is_refused_once_review_started(client, db, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    project = make_project(make_company(owner), S.UNDER_REVIEW)
    login(owner)

    response = client.post(f"/my/projects/{project.id}/withdraw", follow_redirects=True)

    assert "不能从“评审中”变为“草稿”" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == S.UNDER_REVIEW


# -- the status workflow in services ---------------------------------------------------------

def with_deck(project: Project) -> Project:
    project.deck_file = "x.pdf"
    return project


@pytest.mark.parametrize(
    "start, target",
    [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.SUBMITTED, S.DRAFT),
        (S.UNDER_REVIEW, S.APPROVED),
        (S.REJECTED, S.SUBMITTED),
        (S.APPROVED, S.SCHEDULED),
        (S.SCHEDULED, S.PRESENTED),
        (S.SCHEDULED, S.APPROVED),
    ],
)
def test_allowed_transitions(db, make_company, make_project, start, target):
    project = with_deck(make_project(make_company(), start))
    services.change_status(project, target)
    assert project.status == target


@pytest.mark.parametrize(
    "start, target",
    [
        (S.DRAFT, S.APPROVED),
        (S.DRAFT, S.UNDER_REVIEW),
        (S.SUBMITTED, S.APPROVED),
        (S.UNDER_REVIEW, S.DRAFT),
        (S.REJECTED, S.APPROVED),
        (S.APPROVED, S.DRAFT),
        (S.PRESENTED, S.SCHEDULED),
        (S.PRESENTED, S.DRAFT),
    ],
)
def test_disallowed_transitions(db, make_company, make_project, start, target):
    project = with_deck(make_project(make_company(), start))
    with pytest.raises(RuleViolation):
        services.change_status(project, target)
    assert project.status == start


def test_rejection_needs_a_reason_and_resubmission_clears_it(db, make_company, make_project):
    project = with_deck(make_project(make_company(), S.UNDER_REVIEW))

    for blank in (None, "", "   "):
        with pytest.raises(RuleViolation, match="请填写未通过的原因"):
            services.change_status(project, S.REJECTED, blank)
    assert project.status == S.UNDER_REVIEW

    services.change_status(project, S.REJECTED, "  团队缺少量产经验  ")
    assert project.status == S.REJECTED
    assert project.rejection_reason == "团队缺少量产经验" and project.decided_at is not None
    assert project.is_editable

    services.change_status(project, S.SUBMITTED)
    assert project.rejection_reason is None


def test_submit_without_deck_is_refused_by_the_service(db, make_user, make_company, make_project):
    owner = make_user(Role.STARTUP)
    project = make_project(make_company(owner))
    with pytest.raises(RuleViolation, match="提交前请先上传路演材料"):
        services.submit_project(owner, project)
    assert project.status == S.DRAFT


def test_website_typed_without_its_scheme_is_stored_with_https(client, db, make_user, login):
    user = make_user(Role.STARTUP)
    login(user)
    page = client.get("/my/company").get_data(as_text=True)
    assert 'type="url"' not in page  # the browser's own check would refuse "lumichip.cn" before sending it
    response = client.post("/my/company", data=company_form(credit_code=VALID_CODE, website="lumichip.cn"))
    assert response.status_code == 302
    company = db.session.get(Company, db.session.get(type(user), user.id).company_id)
    assert company.website == "https://lumichip.cn"


def test_amount_typed_with_thousands_separators(client, db, make_user, make_company, login):
    owner = make_user(Role.STARTUP)
    make_company(owner)
    login(owner)
    page = client.get("/my/projects/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="amount_sought"[^>]*type="text"|<input[^>]*type="text"[^>]*name="amount_sought"', page)
    response = client.post("/my/projects/new", data=project_form(amount_sought="3,000"))
    assert response.status_code == 302
    assert db.session.query(Project).one().amount_sought == 30_000_000
