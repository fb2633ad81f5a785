"""Institution disclosure pages and an investor maintaining their institution and funds."""
import re

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.investors.models import Fund, Institution, InstitutionType, VerificationStatus


def institution_form(**overrides) -> dict:
    data = {
        "name": "武汉光谷科创投资管理有限公司",
        "type": "vc",
        "registration_number": "P1067890",
        "city": "武汉",
        "website": "",
        "intro": "专注光电子信息与集成电路早期投资。",
    }
    data.update(overrides)
    return data


def fund_form(**overrides):
    data = {
        "name": "光谷硬科技二期基金",
        "size": "50000",
        "focus_chains": ["optoelectronics", "ai"],
        "stages": ["a", "b"],
        "regions": ["wuhan"],
        "ticket_min": "500",
        "ticket_max": "3000",
    }
    data.update(overrides)
    return data


# --- public list and detail ----------------------------------------------------------------

def test_public_list_shows_only_verified_institutions(client, make_institution):
    make_institution(name="已认证的长江资本")
    make_institution(name="待审核的汉江资本", verified=False)
    make_institution(name="未通过的东湖资本", verification_status=VerificationStatus.REJECTED)
    html = client.get("/institutions").get_data(as_text=True)
    assert "已认证的长江资本" in html
    assert "P1001234" in html  # registration number on the card
    assert "500万元 – 2000万元" in html  # ticket range
    assert "待审核的汉江资本" not in html
    assert "未通过的东湖资本" not in html


def test_public_list_filters_by_focus_chain_and_type(client, db, make_institution):
    optics = make_institution(name="光电专注资本")
    health = make_institution(name="生物医药资本", type=InstitutionType.PE)
    health.funds[0].focus_chains = ["life_health", "ai"]
    db.session.commit()

    html = client.get("/institutions?chain=life_health").get_data(as_text=True)
    assert "生物医药资本" in html and "光电专注资本" not in html
    html = client.get("/institutions?chain=optoelectronics").get_data(as_text=True)
    assert "光电专注资本" in html and "生物医药资本" not in html
    # "ai" must not match inside other codes such as "automotive_nev" or "life_health"
    html = client.get("/institutions?chain=ai").get_data(as_text=True)
    assert "生物医药资本" in html and "光电专注资本" not in html
    html = client.get("/institutions?type=pe").get_data(as_text=True)
    assert "生物医药资本" in html and "光电专注资本" not in html
    assert optics.id  # unknown filter values are ignored rather than failing
    assert client.get("/institutions?chain=nonsense&type=x").status_code == 200


def test_public_list_paginates(client, make_institution):
    for n in range(14):
        make_institution(name=f"分页测试资本{n:02d}")
    first = client.get("/institutions").get_data(as_text=True)
    second = client.get("/institutions?page=2").get_data(as_text=True)
    assert "共 14 家已认证机构" in first
    card_link = re.compile(r'href="/institutions/\d+"')
    assert len(card_link.findall(first)) == 12
    assert len(card_link.findall(second)) == 2


def test_verified_detail_lists_funds(client, make_institution):
    institution = make_institution(name="详情页资本")
    html = client.get(f"/institutions/{institution.id}").get_data(as_text=True)
    assert "光谷科创一期基金" in html
    assert "光电子信息" in html and "A轮" in html and "武汉" in html


def test_pending_detail_is_404_for_others_and_visible_to_member(client, make_user, make_institution, login):
    member = make_user(Role.INVESTOR)
    institution = make_institution(member=member, verified=False, name="审核中的资本")
    url = f"/institutions/{institution.id}"
    assert client.get(url).status_code == 404  # anonymous
    login(make_user(Role.INVESTOR))
    assert client.get(url).status_code == 404  # another investor
    client.post("/logout")
    login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert "审核中的资本" in response.get_data(as_text=True)
    client.post("/logout")
    login(make_user(Role.ADMIN))
    assert client.get(url).status_code == 200
    assert client.get("/institutions/99999").status_code == 404


# --- my institution ------------------------------------------------------------------------

def test_investor_registers_institution_as_pending(client, db, make_user, login):
    user = make_user(Role.INVESTOR)
    login(user)
    page = client.get("/my/institution").get_data(as_text=True)
    assert "登记所属机构" in page
    response = client.post("/my/institution", data=institution_form(), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "平台审核通过后将公开展示" in html
    assert "待审核" in html
    institution = db.session.scalars(sa.select(Institution)).one()
    assert institution.verification_status == VerificationStatus.PENDING
    assert db.session.get(type(user), user.id).institution_id == institution.id


def test_duplicate_institution_name_is_a_field_error(client, db, make_user, make_institution, login):
    make_institution(name="同名资本管理有限公司")
    login(make_user(Role.INVESTOR))
    response = client.post("/my/institution", data=institution_form(name="同名资本管理有限公司"))
    assert response.status_code == 200
    assert "已有同名机构登记" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Institution.id))) == 1


def test_record_number_required_for_vc_but_not_for_bank(client, db, make_user, login):
    login(make_user(Role.INVESTOR))
    response = client.post("/my/institution", data=institution_form(registration_number=""))
    assert response.status_code == 200
    assert "须填写基金业协会登记编号" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Institution.id))) == 0

    response = client.post(
        "/my/institution", data=institution_form(name="汉口银行科技金融部", type="bank", registration_number="")
    )
    assert response.status_code == 302
    institution = db.session.scalars(sa.select(Institution)).one()
    assert institution.type == InstitutionType.BANK and institution.registration_number is None


def test_editing_verified_identity_returns_to_pending(client, db, make_user, make_institution, login):
    member = make_user(Role.INVESTOR)
    institution = make_institution(member=member, name="原名资本")
    login(member)
    # Changing only the intro keeps the verification.
    client.post("/my/institution", data=institution_form(name="原名资本", registration_number="P1001234", intro="新简介"))
    db.session.refresh(institution)
    assert institution.verification_status == VerificationStatus.VERIFIED
    # Changing the name sends it back to review and off the public list.
    response = client.post(
        "/my/institution", data=institution_form(name="新名资本", registration_number="P1001234"), follow_redirects=True
    )
    assert "重新进入待审核状态" in response.get_data(as_text=True)
    db.session.refresh(institution)
    assert institution.name == "新名资本"
    assert institution.verification_status == VerificationStatus.PENDING
    assert "新名资本" not in client.get("/institutions").get_data(as_text=True)


def test_member_sees_admin_note_of_rejection(client, make_user, make_institution, login):
    member = make_user(Role.INVESTOR)
    make_institution(member=member, verification_status=VerificationStatus.REJECTED,
                     verification_note="登记编号与协会公示不一致")
    login(member)
    html = client.get("/my/institution").get_data(as_text=True)
    assert "未通过" in html and "登记编号与协会公示不一致" in html


# --- funds ---------------------------------------------------------------------------------

def test_fund_create_edit_delete(client, db, make_user, make_institution, login):
    member = make_user(Role.INVESTOR)
    institution = make_institution(member=member)
    login(member)

    response = client.post("/my/institution/funds/new", data=fund_form(), follow_redirects=True)
    assert "已添加基金：光谷硬科技二期基金" in response.get_data(as_text=True)
    fund = db.session.scalars(sa.select(Fund).where(Fund.name == "光谷硬科技二期基金")).one()
    assert fund.institution_id == institution.id
    assert (fund.size, fund.ticket_min, fund.ticket_max) == (500_000_000, 5_000_000, 30_000_000)
    assert fund.focus_chains == ["optoelectronics", "ai"] and fund.stages == ["a", "b"]

    edit_page = client.get(f"/my/institution/funds/{fund.id}/edit").get_data(as_text=True)
    assert 'value="500"' in edit_page and 'value="3000"' in edit_page  # shown back in 万元

    response = client.post(
        f"/my/institution/funds/{fund.id}/edit",
        data=fund_form(name="光谷硬科技二期基金（更名）", size="", ticket_max="4500.5", focus_chains=[]),
    )
    assert response.status_code == 302
    db.session.refresh(fund)
    assert fund.name == "光谷硬科技二期基金（更名）"
    assert fund.size is None and fund.ticket_max == 45_005_000 and fund.focus_chains == []

    fund_id = fund.id
    response = client.post(f"/my/institution/funds/{fund_id}/delete", follow_redirects=True)
    assert "已删除基金" in response.get_data(as_text=True)
    assert db.session.get(Fund, fund_id) is None


def test_fund_ticket_min_above_max_is_refused(client, db, make_user, make_institution, login):
    member = make_user(Role.INVESTOR)
    make_institution(member=member)
    login(member)
    before = db.session.scalar(sa.select(sa.func.count(Fund.id)))
    response = client.post("/my/institution/funds/new", data=fund_form(ticket_min="5000", ticket_max="1000"))
    assert response.status_code == 200
    assert "上限不能低于下限" in response.get_data(as_text=True)
    response = client.post("/my/institution/funds/new", data=fund_form(ticket_min="0", ticket_max="abc"))
    html = response.get_data(as_text=True)
    assert "请填写大于 0 的金额" in html and "请填写数字金额" in html
    assert db.session.scalar(sa.select(sa.func.count(Fund.id))) == before


def test_fund_needs_an_institution_first(client, make_user, login):
    login(make_user(Role.INVESTOR))
    response = client.get("/my/institution/funds/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/institution")


def test_other_institutions_fund_is_404(client, db, make_user, make_institution, login):
    member = make_user(Role.INVESTOR)
    make_institution(member=member)
    other = make_institution()
    other_fund = other.funds[0]
    login(member)
    assert client.get(f"/my/institution/funds/{other_fund.id}/edit").status_code == 404
    assert client.post(f"/my/institution/funds/{other_fund.id}/edit", data=fund_form()).status_code == 404
    assert client.post(f"/my/institution/funds/{other_fund.id}/delete").status_code == 404
    db.session.refresh(other_fund)
    assert other_fund.name == "光谷科创一期基金"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "很多"])
def test_fund_amounts_that_are_not_numbers_get_a_field_message(client, db, make_user, make_institution, login, value):
    member = make_user(Role.INVESTOR)
    make_institution(member=member)
    login(member)
    response = client.post("/my/institution/funds/new", data=fund_form(name="非数字金额基金", ticket_min=value))
    assert response.status_code == 200
    assert "请填写数字金额（单位：万元）" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(Fund).where(Fund.name == "非数字金额基金")).first() is None
