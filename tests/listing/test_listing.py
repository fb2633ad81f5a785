"""The listing track: admins and organisers tag companies as 上市后备企业, the company keeps its readiness
checklist, and staff (admins; organisers that tagged it) verify it."""
import re
from io import BytesIO

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.listing.models import ListingList, ListingTag, ReadinessItem, ReadinessKind, Verification
from roadshow.organisers.models import DecisionStatus, Organiser, OrganiserKind, OrganiserMember
from roadshow.projects.models import ProjectStatus

from ..conftest import pdf_bytes


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.com")


@pytest.fixture
def make_organiser(db, make_user):
    def make(name: str, slug: str):
        member = make_user(Role.ORGANISER, email=f"{slug}@example.com")
        organiser = Organiser(name=name, kind=OrganiserKind.DISTRICT, contact_name="联系人",
                              status=DecisionStatus.APPROVED)
        db.session.add(organiser)
        db.session.flush()
        db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=member.id))
        db.session.commit()
        return member
    return make


@pytest.fixture
def founder_and_company(make_user, make_company):
    founder = make_user(Role.STARTUP, email="founder@example.com")
    company = make_company(founder, name="武汉光启激光科技有限公司")
    return founder, company


def tag(client, company, cultivation_list="east_lake_reserve", batch="2026年第一批", board="star"):
    return client.post("/listing/tag", data={"credit_code": company.credit_code, "cultivation_list": cultivation_list,
                                             "batch": batch, "target_board": board})


def save_item(client, company, kind="share_reform", progress="done", done_on="2026-06-30", note="已完成股改",
              evidence=None):
    data = {f"{kind}-progress": progress, f"{kind}-done_on": done_on, f"{kind}-note": note}
    if evidence is not None:
        data[f"{kind}-evidence"] = (BytesIO(evidence), "股改决议.pdf")
    return client.post(f"/listing/companies/{company.id}/items/{kind}", data=data,
                       content_type="multipart/form-data")


def item(db, company, kind=ReadinessKind.SHARE_REFORM) -> ReadinessItem:
    db.session.expire_all()
    return db.session.scalars(sa.select(ReadinessItem).where(ReadinessItem.company_id == company.id,
                                                             ReadinessItem.kind == kind)).one()


def check(client, company, verdict="verify", kind="share_reform", note="", revision=None):
    data = {"note": note}
    if revision is not None:
        data["revision"] = revision
    return client.post(f"/listing/companies/{company.id}/items/{kind}/{verdict}", data=data)


def audited(db, action):
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_an_organiser_tags_a_company_which_keeps_its_checklist_and_the_organiser_verifies_it(
        db, client, switch_to, make_organiser, founder_and_company):
    founder, company = founder_and_company
    organiser = make_organiser("东湖高新区科技创新局", "ehtz")
    switch_to(organiser)
    response = tag(client, company)
    assert response.status_code == 302
    saved = db.session.scalars(sa.select(ListingTag)).one()
    assert (saved.cultivation_list, saved.batch, saved.tagged_by_id) == (ListingList.EAST_LAKE_RESERVE, "2026年第一批",
                                                                         organiser.id)
    assert [e.target_id for e in audited(db, "listing.tag")] == [saved.id]

    switch_to(founder)
    page = client.get("/listing/mine", follow_redirects=True).get_data(as_text=True)
    assert "东湖高新区上市后备企业" in page and "2026年第一批" in page and "科创板" in page
    assert save_item(client, company, evidence=pdf_bytes(1)).status_code == 302
    saved_item = item(db, company)
    assert saved_item.verification is Verification.UNVERIFIED and saved_item.evidence_name == "股改决议.pdf"

    switch_to(organiser)
    assert client.get(f"/listing/companies/{company.id}/items/share_reform/evidence.pdf").mimetype == "application/pdf"
    check(client, company, revision=saved_item.revision)
    verified = item(db, company)
    assert verified.verification is Verification.VERIFIED and verified.checked_by_id == organiser.id
    assert "已核验 1/6" in client.get(f"/listing/companies/{company.id}").get_data(as_text=True)

    switch_to(founder)
    page = client.get(f"/listing/companies/{company.id}").get_data(as_text=True)
    assert f"{organiser.name} 于" in page  # shown as verified by whom


def test_an_organiser_cannot_see_or_verify_a_company_it_has_not_tagged(
        db, client, switch_to, make_organiser, admin, founder_and_company):
    founder, company = founder_and_company
    switch_to(founder)
    save_item(client, company)
    other = make_organiser("华中科技大学技术转移中心", "hust")
    switch_to(admin)
    tag(client, company)  # on the track, but tagged by the center, not by this organiser
    switch_to(other)
    assert client.get(f"/listing/companies/{company.id}").status_code == 404
    assert check(client, company).status_code == 404
    assert client.get(f"/listing/companies/{company.id}/items/share_reform/evidence.pdf").status_code == 404
    assert item(db, company).verification is Verification.UNVERIFIED
    assert company.name not in client.get("/listing/").get_data(as_text=True)


def test_the_company_cannot_verify_its_own_items(db, client, login, founder_and_company):
    founder, company = founder_and_company
    login(founder)
    save_item(client, company)
    assert check(client, company).status_code == 403
    assert item(db, company).verification is Verification.UNVERIFIED


def test_an_admin_member_of_the_company_cannot_verify_its_items(db, client, login, make_user, founder_and_company):
    _founder, company = founder_and_company
    insider = make_user(Role.STARTUP, Role.ADMIN, email="insider@example.com")
    insider.company_id = company.id
    db.session.commit()
    login(insider)
    save_item(client, company)
    assert check(client, company).status_code == 404  # as for any company whose items the person may not check
    assert item(db, company).verification is Verification.UNVERIFIED


def test_editing_a_verified_item_returns_it_to_unverified(db, client, switch_to, admin, founder_and_company):
    founder, company = founder_and_company
    switch_to(founder)
    save_item(client, company)
    switch_to(admin)
    check(client, company, revision=item(db, company).revision)
    assert item(db, company).verification is Verification.VERIFIED

    switch_to(founder)
    save_item(client, company, note="已完成股改，取得新营业执照")
    edited = item(db, company)
    assert edited.verification is Verification.UNVERIFIED and edited.checked_by_id is None
    save_item(client, company, note="已完成股改，取得新营业执照")  # saving the same again changes nothing


def test_a_check_of_an_item_the_company_changed_meanwhile_is_not_written(
        db, client, switch_to, admin, founder_and_company):
    founder, company = founder_and_company
    switch_to(founder)
    save_item(client, company, progress="in_progress")
    seen = item(db, company).revision
    save_item(client, company, progress="done")  # after the admin opened the page
    switch_to(admin)
    page = check(client, company, revision=seen)
    assert item(db, company).verification is Verification.UNVERIFIED
    assert "修改了此事项" in client.get(page.headers["Location"]).get_data(as_text=True)


def test_sending_an_item_back_needs_a_note_which_the_company_sees(db, client, switch_to, admin, founder_and_company):
    founder, company = founder_and_company
    switch_to(founder)
    save_item(client, company, kind="audit", progress="in_progress", note="会计师事务所已进场")
    switch_to(admin)
    check(client, company, "reject", kind="audit")
    assert item(db, company, ReadinessKind.AUDIT).verification is Verification.UNVERIFIED
    check(client, company, "reject", kind="audit", note="请上传审计业务约定书")
    assert item(db, company, ReadinessKind.AUDIT).verification is Verification.REJECTED
    switch_to(founder)
    assert "请上传审计业务约定书" in client.get(f"/listing/companies/{company.id}").get_data(as_text=True)


def test_withdrawing_a_tag_keeps_its_history(db, client, switch_to, admin, founder_and_company):
    _founder, company = founder_and_company
    switch_to(admin)
    tag(client, company, "hubei_reserve", "2025年第二批")
    saved = db.session.scalars(sa.select(ListingTag)).one()
    client.post(f"/listing/tags/{saved.id}/withdraw", data={"reason": ""})
    db.session.expire_all()
    assert saved.is_active  # a reason is required
    client.post(f"/listing/tags/{saved.id}/withdraw", data={"reason": "企业已启动IPO申报，移出后备库"})
    db.session.expire_all()
    assert not saved.is_active and saved.withdrawn_by_id == admin.id and saved.tagged_by_id == admin.id
    assert saved.withdrawal_reason == "企业已启动IPO申报，移出后备库"
    page = client.get(f"/listing/companies/{company.id}").get_data(as_text=True)
    assert "已撤销的认定" in page and "企业已启动IPO申报" in page
    assert company.name not in client.get("/listing/").get_data(as_text=True)  # off the track
    assert [e.target_id for e in audited(db, "listing.withdraw")] == [saved.id]
    tag(client, company, "hubei_reserve", "2026年第一批")  # a new tag on the same list after the withdrawal
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ListingTag)) == 2


def test_an_organiser_withdraws_only_its_own_tags(db, client, switch_to, admin, make_organiser, founder_and_company):
    _founder, company = founder_and_company
    organiser = make_organiser("东湖高新区科技创新局", "ehtz")
    switch_to(admin)
    tag(client, company, "hubei_reserve")
    center_tag = db.session.scalars(sa.select(ListingTag)).one()
    switch_to(organiser)
    tag(client, company, "east_lake_reserve")
    assert client.post(f"/listing/tags/{center_tag.id}/withdraw", data={"reason": "不再培育"}).status_code == 404
    db.session.expire_all()
    assert center_tag.is_active


def test_one_tag_in_force_per_list_and_unknown_codes_are_refused(db, client, login, admin, founder_and_company):
    _founder, company = founder_and_company
    login(admin)
    tag(client, company)
    again = tag(client, company, batch="2026年第二批")
    assert again.status_code == 400 and "已在" in again.get_data(as_text=True)
    unknown = client.post("/listing/tag", data={"credit_code": "91420100MA4KXXXX0X", "cultivation_list": "hubei_reserve",
                                                "batch": "2026年第一批", "target_board": ""})
    assert unknown.status_code == 400 and "没有以此统一社会信用代码登记的企业" in unknown.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ListingTag)) == 1


def test_a_verified_investor_sees_the_summary_of_a_company_with_a_public_project_but_not_its_notes(
        db, client, switch_to, admin, make_user, make_institution, make_project, founder_and_company):
    founder, company = founder_and_company
    switch_to(founder)
    save_item(client, company, note="股改方案内部讨论稿")
    switch_to(admin)
    tag(client, company)
    investor = make_user(Role.INVESTOR, email="vc@example.com")
    make_institution(investor, verified=True)
    switch_to(investor)
    assert client.get(f"/listing/companies/{company.id}").status_code == 404  # no public project yet
    project = make_project(company, ProjectStatus.APPROVED)
    page = client.get(f"/listing/companies/{company.id}").get_data(as_text=True)
    assert "东湖高新区上市后备企业" in page and "股改方案内部讨论稿" not in page
    project_page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "东湖高新区上市后备企业" in project_page and f"/listing/companies/{company.id}" in project_page
    unverified = make_user(Role.INVESTOR, email="new-vc@example.com")
    make_institution(unverified, verified=False)
    switch_to(unverified)
    assert client.get(f"/listing/companies/{company.id}").status_code == 404
    assert "东湖高新区上市后备企业" not in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_the_list_filters_by_list_batch_board_and_readiness_and_exports_csv(
        db, client, switch_to, admin, make_user, make_company, founder_and_company):
    founder, company = founder_and_company
    other = make_company(name="湖北芯测半导体有限公司")
    switch_to(founder)
    save_item(client, company)
    switch_to(admin)
    tag(client, company, "east_lake_reserve", "2026年第一批", "star")
    tag(client, other, "hubei_reserve", "2025年第二批", "bse")

    def names(query: str) -> set:
        page = client.get(f"/listing/?{query}").get_data(as_text=True)
        return {c.name for c in (company, other) if c.name in page}

    assert names("") == {company.name, other.name}
    assert names("cultivation_list=hubei_reserve") == {other.name}
    assert names("batch=2026年第一批") == {company.name}
    assert names("board=star") == {company.name}
    assert names("readiness=awaiting") == {company.name}
    csv = client.get("/listing/export.csv?board=bse")
    assert csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert other.name in text and other.credit_code in text and company.name not in text


def test_evidence_that_is_not_a_pdf_is_refused_and_nothing_is_saved(db, client, login, founder_and_company):
    founder, company = founder_and_company
    login(founder)
    response = save_item(client, company, evidence=b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400 and "只接受 PDF 文件" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReadinessItem)) == 0


def test_the_statistics_and_the_government_dashboard_count_the_companies_on_each_list(
        db, client, switch_to, admin, make_user, make_company, founder_and_company):
    _founder, company = founder_and_company
    other = make_company(name="湖北芯测半导体有限公司")
    switch_to(admin)
    tag(client, company, "hubei_reserve")
    tag(client, other, "hubei_reserve")
    tag(client, other, "east_lake_reserve")
    withdrawn = db.session.scalars(sa.select(ListingTag).where(ListingTag.cultivation_list == ListingList.EAST_LAKE_RESERVE)).one()
    client.post(f"/listing/tags/{withdrawn.id}/withdraw", data={"reason": "迁出园区"})

    def counts(url: str) -> dict:
        page = client.get(url).get_data(as_text=True)
        card = page[page.index('id="listing-counts"'):]
        card = card[:card.index("</ul>")]
        return {name: int(n) for name, n in re.findall(r"<span>([^<]+)</span><span class=\"fw-semibold\">(\d+)<", card)}

    expected = {"湖北省上市后备企业库": 2, "企业上市“黄鹤凌云”计划科技型上市后备企业": 0, "武汉市上市后备企业": 0,
                "东湖高新区上市后备企业": 0}
    assert counts("/admin/stats/") == expected
    switch_to(make_user(Role.GOVERNMENT, email="kjj@example.gov"))
    assert counts("/government") == expected


def test_the_database_keeps_one_tag_in_force_per_company_and_list(db, admin, founder_and_company, monkeypatch):
    """Two staff tagging at once both pass the look-up; the partial unique index lets one through and the other
    gets the form's message, not a server error. A withdrawn tag does not count."""
    from roadshow.common.errors import FieldRuleViolation
    from roadshow.listing import services

    _founder, company = founder_and_company
    first = services.tag_company(admin, company.credit_code, ListingList.WUHAN_RESERVE, "2026年第一批", None)
    db.session.commit()
    monkeypatch.setattr(services, "active_tag", lambda *_args: None)  # the second request read before the first wrote
    with pytest.raises(FieldRuleViolation):
        services.tag_company(admin, company.credit_code, ListingList.WUHAN_RESERVE, "2026年第二批", None)
    db.session.rollback()
    services.withdraw_tag(admin, db.session.get(ListingTag, first.id), "批次调整")
    services.tag_company(admin, company.credit_code, ListingList.WUHAN_RESERVE, "2026年第二批", None)
    db.session.commit()
    assert [t.is_active for t in db.session.scalars(sa.select(ListingTag).order_by(ListingTag.id))] == [False, True]
