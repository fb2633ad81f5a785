"""Official lists: preview, apply, idempotent re-import, refusals, and the verified facts they leave."""
import io
import zipfile

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.common.choices import SrdiLevel
from roadshow.matching.models import MatchFlag, MatchPreference
from roadshow.matching.profiles import project_rows
from roadshow.notifications.models import Notification
from roadshow.official.models import OfficialListImport, VerifiedFact
from roadshow.projects.facts import company_facts
from roadshow.projects.models import ProjectStatus
from roadshow_demo.official_lists import HEADERS, list_bytes
from tests.support.factories import credit_code


def innovation_file(rows, fmt="xlsx"):
    return list_bytes(HEADERS["innovation"], rows, fmt)


def upload(client, data, name="innovation.xlsx", kind="innovation", source="2025 年度创新积分评价结果"):
    return client.post("/admin/official-lists/", data={
        "kind": kind, "source": source, "file": (io.BytesIO(data), name),
    }, content_type="multipart/form-data")


def confirm(client, html):
    """Press the preview's confirm button: post back the hidden fields it carries."""
    import re
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html[html.index('/official-lists/apply'):]))
    return client.post("/admin/official-lists/apply", data=fields, follow_redirects=True)


def facts_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(VerifiedFact))


@pytest.fixture
def admin(make_user, login):
    user = make_user(Role.ADMIN, name="名单管理员")
    login(user)
    return user


def test_preview_counts_matched_changed_unmatched_invalid_and_writes_nothing(client, db, admin, make_company):
    known = make_company(name="光谷硅光", innovation_score=60)
    stranger = credit_code(77)
    bad = credit_code(78)[:17] + ("0" if credit_code(78)[17] != "0" else "1")  # wrong check character
    data = innovation_file([(known.credit_code, "光谷硅光", 88, "A", 2025), (stranger, "不在平台", 70, "B", 2025),
                            (bad, "错码企业", 70, "B", 2025), (credit_code(79), "分数错", 180, "A", 2025)])
    response = upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-count="rows">4<' in html and 'data-count="matched">1<' in html
    assert 'data-count="unmatched">1<' in html and 'data-count="invalid">2<' in html
    assert "校验位不符" in html and "第 4 行" in html and "0–100" in html
    assert "确认导入" not in html  # invalid rows: nothing can be applied
    assert facts_count(db) == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(OfficialListImport)) == 0


def test_apply_writes_verified_facts_and_audit_and_reimport_changes_nothing(client, db, admin, make_company):
    first, second = make_company(innovation_score=40), make_company(innovation_score=50)
    data = innovation_file([(first.credit_code, first.name, 91, "A", 2025), (second.credit_code, second.name, 72, "B", 2025)])
    page = confirm(client, upload(client, data, name="创新积分2025.xlsx").get_data(as_text=True))
    assert "已导入" in page.get_data(as_text=True)
    facts = company_facts(first)
    assert facts.innovation_score.value == 91 and facts.innovation_score.is_verified
    assert facts.innovation_score.declared == 40 and facts.innovation_score.source == "2025 年度创新积分评价结果"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "official_list.import")).one()
    assert entry.actor_id == admin.id and "创新积分2025.xlsx" in entry.summary and "变更 2" in entry.summary
    stamps = {f.id: (f.verified_at, f.import_id) for f in db.session.scalars(sa.select(VerifiedFact))}

    again = upload(client, data, name="创新积分2025.xlsx").get_data(as_text=True)
    assert "其中变更 0" in again
    confirm(client, again)
    db.session.expire_all()
    assert {f.id: (f.verified_at, f.import_id) for f in db.session.scalars(sa.select(VerifiedFact))} == stamps


def test_csv_list_in_gb18030_is_read(client, db, admin, make_company):
    company = make_company()
    text = "统一社会信用代码,企业名称,认定级别,批次\n" + f"{company.credit_code},{company.name},国家级专精特新“小巨人”,第五批\n"
    confirm(client, upload(client, text.encode("gb18030"), name="srdi.csv", kind="srdi").get_data(as_text=True))
    facts = company_facts(company)
    assert facts.srdi_level.value is SrdiLevel.LITTLE_GIANT and facts.srdi_level.details == {"batch": "第五批"}


def test_a_changed_verified_value_tells_the_company_and_its_followers(client, db, admin, make_company, make_project, make_user):
    owner = make_user(Role.STARTUP)
    company = make_company(owner=owner)
    project = make_project(company, ProjectStatus.APPROVED)
    follower, bystander = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    db.session.add(MatchPreference(user_id=follower.id, project_id=project.id, flag=MatchFlag.SAVED))
    db.session.commit()
    confirm(client, upload(client, innovation_file([(company.credit_code, company.name, 70, "B", 2024)])).get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0  # a first entry is not a change
    confirm(client, upload(client, innovation_file([(company.credit_code, company.name, 85, "A", 2025)])).get_data(as_text=True))
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "verified_fact")))
    assert told == {owner.id, follower.id}
    assert company_facts(company).innovation_score.value == 85


@pytest.mark.parametrize("case", ["wrong_columns", "malformed_xlsx", "not_a_list", "zip_bomb"])
def test_unreadable_files_are_refused_with_a_reason_and_nothing_is_written(client, db, admin, make_company, case):
    company = make_company()
    if case == "wrong_columns":
        data, name, reason = list_bytes(("名称", "金额"), [(company.name, 1)]), "list.xlsx", "表头缺少这些列"
    elif case == "malformed_xlsx":
        data, name, reason = b"PK\x03\x04 this is no workbook" * 10, "list.xlsx", "不是有效的 XLSX"
    elif case == "not_a_list":
        data, name, reason = b"%PDF-1.7", "list.pdf", "只接受 XLSX 或 CSV"
    else:
        # A workbook-looking zip whose sheet inflates to 1 GiB from about 1 MB.
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
            bomb.writestr("[Content_Types].xml", "<Types/>")
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                block = b"\0" * (1024 * 1024)
                for _ in range(1024):
                    sheet.write(block)
        data, name, reason = out.getvalue(), "list.xlsx", "解压后过大"
    response = upload(client, data, name=name)
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)
    assert facts_count(db) == 0


def test_a_200_mb_upload_is_refused_before_it_is_read(client, db, admin):
    size = 200 * 1024 * 1024
    # The request announces 200 MB; the server refuses on the announcement without reading the body.
    response = client.post("/admin/official-lists/", input_stream=io.BytesIO(b"--x--"),
                           content_type="multipart/form-data; boundary=x",
                           environ_overrides={"CONTENT_LENGTH": str(size)})
    assert response.status_code == 413
    assert "太大" in response.get_data(as_text=True)
    assert facts_count(db) == 0


def test_a_list_with_invalid_rows_is_not_applied_even_when_posted(client, db, admin, make_company):
    company = make_company()
    data = innovation_file([(company.credit_code, company.name, 80, "A", 2025), ("913100001234567890", "错码", 1, "C", 2025)])
    html = upload(client, data).get_data(as_text=True)
    from roadshow.official.models import ListKind
    from roadshow.official.services import plan_import, stash
    with client.application.test_request_context():
        sha = stash(plan_import(ListKind.INNOVATION, "x.xlsx", data))
    response = client.post("/admin/official-lists/apply", data={
        "kind": "innovation", "source": "x", "file_name": "x.xlsx", "sha256": sha,
        "csrf_token": "",
    }, follow_redirects=True)
    assert "无效" in html
    assert "本次未写入任何数据" in response.get_data(as_text=True)
    assert facts_count(db) == 0


def test_badges_on_the_project_page_my_company_and_the_api(client, db, admin, make_company, make_project, make_user, switch_to):
    owner = make_user(Role.STARTUP)
    company = make_company(owner=owner, innovation_score=55, patents_count=9)
    project = make_project(company, ProjectStatus.APPROVED)
    confirm(client, upload(client, innovation_file([(company.credit_code, company.name, 83, "A", 2025)])).get_data(as_text=True))

    investor = make_user(Role.INVESTOR)
    bank = make_user(Role.INVESTOR, name="银行客户经理")
    for user, url in ((investor, f"/projects/{project.id}"), (bank, f"/projects/{project.id}"), (owner, "/my/projects")):
        switch_to(user)
        html = client.get(url).get_data(as_text=True)
        assert 'data-fact="innovation_score" data-verified="true"' in html, url
        assert 'data-fact="patents_count" data-verified="false"' in html, url
        assert "2025 年度创新积分评价结果" in html and "企业自报：55 / 100" in html

    body = client.get(f"/api/v1/projects/{project.id}").get_json()
    facts = body["company"]["facts"]
    assert facts["innovation_score"] == {
        "value": 83, "verified": True, "source": "2025 年度创新积分评价结果",
        "verified_at": facts["innovation_score"]["verified_at"], "details": {"grade": "A", "year": 2025}}
    assert facts["patents_count"]["verified"] is False and facts["patents_count"]["value"] == 9
    assert body["company"]["innovation_score"] == 55  # the company's own figure stays available


def test_matching_counts_verified_values_fully_and_declared_ones_at_the_discount(app, client, db, admin, make_company, make_project):
    app.config["SELF_DECLARED_WEIGHTS"] = {"matching": 0.5, "loans": 0.0}
    claimed = make_company(innovation_score=90, srdi_level=SrdiLevel.LITTLE_GIANT, is_high_tech=True)
    checked = make_company(innovation_score=10)
    p_claimed, p_checked = make_project(claimed, ProjectStatus.APPROVED), make_project(checked, ProjectStatus.APPROVED)
    confirm(client, upload(client, innovation_file([(checked.credit_code, checked.name, 90, "A", 2025)])).get_data(as_text=True))
    rows = {row.id: row.profile for row in project_rows([p_claimed.id, p_checked.id])}
    assert rows[p_checked.id].counted_innovation == 90
    assert rows[p_claimed.id].counted_innovation == 45
    assert rows[p_claimed.id].flags == pytest.approx(0.5 * rows[p_claimed.id].__class__(
        "optoelectronics", "a", "wuhan", 1, 0, "little_giant", True).flags)
    facts = company_facts(claimed)
    assert facts.srdi_level.weight("loans") == 0.0 and company_facts(checked).innovation_score.weight("loans") == 1.0
