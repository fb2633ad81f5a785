"""The public project library, project pages and who may download a deck."""
import re
from io import BytesIO

import pytest

from ..conftest import pdf_bytes
from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain, SrdiLevel, Stage
from roadshow.projects import decks
from roadshow.projects.models import ProjectStatus as S


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="h6 fw-bold mb-1">([^<]+)</h3>', html)


def give_deck(db, project, pages: int = 3, name: str = "路演材料.pdf"):
    stored = decks.store_deck(BytesIO(pdf_bytes(pages)), uploader_id=0)
    project.deck_file = stored.file_name
    project.deck_original_name = name
    project.deck_pages = stored.pages
    project.deck_size = stored.size
    db.session.commit()
    return project


# -- the public library ---------------------------------------------------------------------

def test_library_lists_only_public_projects(client, make_company, make_project):
    company = make_company(name="武汉光迅未来科技有限公司", is_high_tech=True, srdi_level=SrdiLevel.LITTLE_GIANT)
    shown = {status: make_project(company, status=status, title=f"项目-{status.value}") for status in S}

    html = client.get("/projects").get_data(as_text=True)

    assert sorted(card_titles(html)) == sorted(["项目-approved", "项目-scheduled", "项目-presented"])
    for hidden in ("项目-draft", "项目-submitted", "项目-under_review", "项目-rejected"):
        assert hidden not in html
    assert "武汉光迅未来科技有限公司" in html
    assert "3000万元" in html  # amount sought in 万元
    assert "国家级专精特新“小巨人”" in html and "高新技术企业" in html
    assert shown[S.APPROVED].pitch in html


def test_library_filters_by_chain_round_and_text(client, make_company, make_project):
    optics = make_company(name="光谷激光科技有限公司", industry_chain=IndustryChain.OPTOELECTRONICS)
    bio = make_company(name="东湖生物医药有限公司", industry_chain=IndustryChain.LIFE_HEALTH)
    make_project(optics, S.APPROVED, title="超快激光加工平台", financing_round=Stage.A, pitch="飞秒激光精密加工")
    make_project(optics, S.APPROVED, title="硅光模块", financing_round=Stage.ANGEL, pitch="数据中心 800G 光模块")
    make_project(
        bio, S.APPROVED, title="mRNA 疫苗平台", industry_chain=IndustryChain.LIFE_HEALTH, financing_round=Stage.A,
        pitch="新型核酸药物递送",
    )

    by_chain = card_titles(client.get("/projects?chain=life_health").get_data(as_text=True))
    assert by_chain == ["mRNA 疫苗平台"]

    by_round = card_titles(client.get("/projects?stage=a").get_data(as_text=True))
    assert sorted(by_round) == ["mRNA 疫苗平台", "超快激光加工平台"]

    both = card_titles(client.get("/projects?chain=optoelectronics&stage=angel").get_data(as_text=True))
    assert both == ["硅光模块"]

    assert card_titles(client.get("/projects?q=800G").get_data(as_text=True)) == ["硅光模块"]  # pitch
    assert card_titles(client.get("/projects?q=东湖生物").get_data(as_text=True)) == ["mRNA 疫苗平台"]  # company
    assert card_titles(client.get("/projects?q=激光加工").get_data(as_text=True)) == ["超快激光加工平台"]  # title


def test_library_explains_when_nothing_matches_and_ignores_bad_filters(client, make_company, make_project):
    make_project(make_company(), S.APPROVED, title="光芯片")

    html = client.get("/projects?q=不存在的项目").get_data(as_text=True)
    assert "没有找到符合条件的项目" in html
    # LIKE wildcards are searched literally.
    assert "没有找到符合条件的项目" in client.get("/projects?q=%25").get_data(as_text=True)

    response = client.get("/projects?chain=nonsense&stage=zzz&page=abc")
    assert response.status_code == 200
    assert card_titles(response.get_data(as_text=True)) == ["光芯片"]


def test_library_paginates_twelve_per_page(client, make_company, make_project):
    company = make_company()
    for n in range(14):
        make_project(company, S.APPROVED, title=f"分页项目{n:02d}")

    first = client.get("/projects").get_data(as_text=True)
    second = client.get("/projects?page=2").get_data(as_text=True)

    assert len(card_titles(first)) == 12
    assert len(card_titles(second)) == 2
    assert "下一页" in first
    assert set(card_titles(first)).isdisjoint(card_titles(second))


def test_empty_library_has_an_empty_state(client):
    assert "项目库还是空的" in client.get("/projects").get_data(as_text=True)


# -- project pages --------------------------------------------------------------------------

def test_public_project_page_hides_credit_code_from_visitors(client, make_company, make_project):
    company = make_company(university="华中科技大学")
    project = make_project(company, S.APPROVED, description="第一段\n第二段", use_of_funds="扩产")

    html = client.get(f"/projects/{project.id}").get_data(as_text=True)

    assert project.title in html and company.name in html and "华中科技大学" in html
    assert "<p class=\"\">第一段</p>" in html and "第二段" in html
    assert company.credit_code not in html


def test_owner_sees_draft_credit_code_and_rejection_reason(client, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    company = make_company(owner)
    project = make_project(company, S.REJECTED, rejection_reason="市场规模测算依据不足")
    login(owner)

    html = client.get(f"/projects/{project.id}").get_data(as_text=True)

    assert "市场规模测算依据不足" in html
    assert company.credit_code in html


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED])
def test_unpublished_projects_do_not_exist_for_others(client, make_user, make_company, make_project, login, status):
    project = make_project(make_company(make_user(Role.STARTUP)), status)
    assert client.get(f"/projects/{project.id}").status_code == 404  # anonymous

    login(make_user(Role.STARTUP))  # another startup
    assert client.get(f"/projects/{project.id}").status_code == 404
    assert client.get(f"/projects/{project.id}/deck").status_code == 404


def test_unknown_project_is_404(client):
    assert client.get("/projects/9999").status_code == 404


# -- deck downloads -------------------------------------------------------------------------

def test_investor_downloads_a_public_projects_deck(client, db, make_user, make_company, make_project, login):
    project = give_deck(db, make_project(make_company(), S.APPROVED), pages=4, name="光谷硅光路演.pdf")
    login(make_user(Role.INVESTOR))

    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f"/projects/{project.id}/deck" in page and "下载路演材料" in page

    response = client.get(f"/projects/{project.id}/deck")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.data == decks.deck_path(project.deck_file).read_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]  # the Chinese name survives
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_anonymous_visitor_is_asked_to_log_in_as_investor(client, db, make_company, make_project):
    project = give_deck(db, make_project(make_company(), S.APPROVED))

    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "请以投资机构身份登录后下载" in page
    assert f"/projects/{project.id}/deck" not in page
    assert client.get(f"/projects/{project.id}/deck").status_code == 403


def test_other_startup_cannot_download_even_a_public_deck(client, db, make_user, make_company, make_project, login):
    project = give_deck(db, make_project(make_company(), S.APPROVED))
    login(make_user(Role.STARTUP))

    assert client.get(f"/projects/{project.id}/deck").status_code == 403


def test_owner_downloads_own_draft_deck_and_investor_cannot(client, db, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    project = give_deck(db, make_project(make_company(owner), S.DRAFT))

    login(owner)
    assert client.get(f"/projects/{project.id}/deck").status_code == 200

    client.post("/logout")
    login(make_user(Role.INVESTOR))
    assert client.get(f"/projects/{project.id}/deck").status_code == 404


def test_project_without_deck_has_no_download(client, make_user, make_company, make_project, login):
    project = make_project(make_company(), S.APPROVED)
    login(make_user(Role.INVESTOR))

    assert "企业尚未上传路演材料" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert client.get(f"/projects/{project.id}/deck").status_code == 404


# -- the startup's pages need the startup role ----------------------------------------------

def test_startup_pages_need_login_and_role(client, make_user, login):
    assert client.get("/my/projects").status_code == 302
    assert "/login" in client.get("/my/company").headers["Location"]
    login(make_user(Role.INVESTOR))
    assert client.get("/my/projects").status_code == 403
    assert client.get("/my/projects/new").status_code == 403


def test_my_projects_asks_to_register_the_company_first(client, make_user, login):
    login(make_user(Role.STARTUP))
    html = client.get("/my/projects").get_data(as_text=True)
    assert "先登记您的企业" in html
    response = client.get("/my/projects/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/company")


def test_my_projects_lists_own_projects_with_deck_status(client, db, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    company = make_company(owner)
    with_deck = give_deck(db, make_project(company, title="有材料的项目"), pages=5)
    make_project(company, S.REJECTED, title="被退回的项目", rejection_reason="请补充财务数据")
    make_project(make_company(), title="别人的项目")
    login(owner)

    html = client.get("/my/projects").get_data(as_text=True)

    assert company.name in html and "有材料的项目" in html and "被退回的项目" in html
    assert "别人的项目" not in html
    assert "5 页" in html and "未上传路演材料" in html
    assert "请补充财务数据" in html
    assert f"/my/projects/{with_deck.id}/submit" in html
