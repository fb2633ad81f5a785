"""Matching pages: an investor's matched projects with save/hide, a startup's matched institutions,
the express subscriptions page, advisor requests and the admin's session matrix with invitations."""
import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain
from roadshow.investors.models import InstitutionType
from roadshow.matching.models import AdvisorRequest, SavedSearch
from roadshow.matching.services import recompute_all
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Slot


@pytest.fixture
def world(db, make_user, make_company, make_project, make_institution):
    investor = make_user(Role.INVESTOR)
    make_institution(investor)  # its fund: optoelectronics, A round, Wuhan, 500–2000 万
    founder = make_user(Role.STARTUP)
    company = make_company(founder)
    fit = make_project(company, ProjectStatus.APPROVED, title="硅光芯片量产项目", amount_sought=10_000_000)
    other = make_project(make_company(industry_chain=IndustryChain.LIFE_HEALTH), ProjectStatus.APPROVED,
                         title="创新药临床项目", industry_chain=IndustryChain.LIFE_HEALTH, amount_sought=10_000_000)
    recompute_all()
    db.session.commit()
    return investor, founder, fit, other


def test_investor_sees_matched_projects_with_reasons_and_can_hide_and_save(client, login, world):
    investor, _, fit, other = world
    login(investor)
    page = client.get("/matching/").get_data(as_text=True)
    assert fit.title in page and "产业链：光电子信息" in page and "覆盖 1000 万需求" in page
    assert page.index(fit.title) < page.index(other.title) if other.title in page else True

    client.post(f"/matching/projects/{fit.id}/flag", data={"flag": "hidden"})
    assert fit.title not in client.get("/matching/").get_data(as_text=True)
    assert fit.title in client.get("/matching/?view=hidden").get_data(as_text=True)
    client.post(f"/matching/projects/{fit.id}/flag", data={"flag": "saved"})
    saved = client.get("/matching/?view=saved").get_data(as_text=True)
    assert fit.title in saved and "已收藏" in saved
    assert fit.title not in client.get("/matching/?chain=life_health").get_data(as_text=True)
    assert client.get("/matching/?min_score=abc").status_code == 200  # bad filter input is ignored, not a 500


def test_a_meeting_requested_from_a_match_shows_as_requested(client, login, world):
    investor, founder, fit, _ = world
    login(investor)
    response = client.post(f"/meetings/request/{fit.id}?next=/matching/", data={"source": "match"},
                           follow_redirects=True)
    assert "约见请求已发送" in response.get_data(as_text=True)
    assert "已约见" in client.get("/matching/").get_data(as_text=True)


def test_startup_sees_matched_institutions_other_startups_do_not(client, login, switch_to, world, make_user,
                                                                 make_company):
    investor, founder, fit, _ = world
    login(founder)
    page = client.get(f"/matching/project/{fit.id}").get_data(as_text=True)
    assert investor.institution.name in page and "产业链：光电子信息" in page
    stranger = make_user(Role.STARTUP)
    make_company(stranger)
    switch_to(stranger)
    assert client.get(f"/matching/project/{fit.id}").status_code == 404


def test_advisor_request_reaches_the_matching_advisor_who_can_take_it(db, client, login, switch_to, world,
                                                                     make_user,
                                                                     make_institution):
    _, founder, fit, _ = world
    advisor = make_user(Role.INVESTOR)
    make_institution(advisor, type=InstitutionType.ADVISOR, registration_number=None)
    recompute_all()
    db.session.commit()
    login(founder)
    client.post(f"/matching/project/{fit.id}/advisor", data={"message": "希望协助梳理估值"})
    request = db.session.scalar(sa.select(AdvisorRequest))
    assert [r.institution_id for r in request.recipients] == [advisor.institution_id]
    switch_to(advisor)
    assert fit.title in client.get("/matching/advisor-requests").get_data(as_text=True)
    client.post(f"/matching/advisor-requests/{request.id}/engage")
    db.session.refresh(request)
    assert request.engaged_institution_id == advisor.institution_id
    assert db.session.scalar(sa.select(Notification).where(Notification.user_id == founder.id,
                                                           Notification.kind == "advisor_engaged"))


def test_express_page_saves_a_subscription_and_refuses_a_reversed_amount_range(db, client, login, world):
    investor = world[0]
    login(investor)
    bad = client.post("/matching/express", data={"name": "反了", "amount_min": "5000", "amount_max": "100",
                                                  "min_score": "0", "frequency": "instant"})
    assert "金额上限不能小于下限" in bad.get_data(as_text=True)
    client.post("/matching/express", data={"name": "光电 A 轮", "chains": ["optoelectronics"], "stages": ["a"],
                                           "amount_min": "500", "min_score": "60", "frequency": "daily"})
    search = db.session.scalar(sa.select(SavedSearch))
    assert (search.name, search.chains, search.amount_min, search.min_score) == ("光电 A 轮", ["optoelectronics"],
                                                                                 5_000_000, 60)
    assert "光电 A 轮" in client.get("/matching/express").get_data(as_text=True)


def test_admin_matrix_lists_the_session_projects_and_invites_once(db, client, login, switch_to, world,
                                                                  make_user,
                                                                  make_session):
    investor, _, fit, other = world
    session = make_session()
    session.slots = [Slot(project=fit, position=1), Slot(project=other, position=2)]
    db.session.commit()
    login(make_user(Role.ADMIN))
    page = client.get(f"/matching/sessions/{session.id}").get_data(as_text=True)
    assert investor.institution.name in page and "邀请" in page
    url = f"/matching/sessions/{session.id}/invite/{investor.institution_id}"
    assert "已邀请" in client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "此前已收到" in client.post(url, follow_redirects=True).get_data(as_text=True)
    assert len(db.session.scalars(sa.select(Notification).where(Notification.kind == "session_invite")).all()) == 1
    switch_to(investor)
    assert client.get(f"/matching/sessions/{session.id}").status_code == 403


def test_a_new_funds_matches_show_as_soon_as_it_is_saved(client, db, login, make_user, make_company, make_project,
                                                         make_institution):
    investor = make_user(Role.INVESTOR)
    make_institution(investor, funds=[])  # no fund yet: nothing to match
    medicine = make_project(make_company(industry_chain=IndustryChain.LIFE_HEALTH), ProjectStatus.APPROVED,
                            title="创新药临床项目", industry_chain=IndustryChain.LIFE_HEALTH, amount_sought=10_000_000)
    recompute_all()
    db.session.commit()
    login(investor)
    assert medicine.title not in client.get("/matching/").get_data(as_text=True)

    client.post("/my/institution/funds/new", data={
        "name": "光谷生命健康基金", "focus_chains": ["life_health"], "stages": ["a", "b"], "regions": ["wuhan"],
        "ticket_min": "500", "ticket_max": "3000"}, follow_redirects=True)
    # no refresh job ran in between
    assert medicine.title in client.get("/matching/").get_data(as_text=True)


def test_the_matches_page_shows_each_project_once_with_its_best_fund_ten_to_a_page(
        db, client, login, make_user, make_company, make_project, make_institution):
    from roadshow.investors.models import Fund
    from roadshow.matching.models import Match

    investor = make_user(Role.INVESTOR)
    institution = make_institution(investor)
    second = Fund(institution=institution, name="第二只基金", focus_chains=["optoelectronics"], stages=["a"],
                  regions=["wuhan"], ticket_min=1, ticket_max=2)
    db.session.add(second)
    db.session.flush()
    first = institution.funds[0]
    projects = [make_project(make_company(), ProjectStatus.APPROVED, title=f"匹配项目{n:02d}",
                             amount_sought=(n + 1) * 1_000_000) for n in range(12)]
    for n, project in enumerate(projects):  # the second fund scores higher on the even projects
        db.session.add(Match(fund_id=first.id, project_id=project.id, institution_id=institution.id, score=60 + n))
        db.session.add(Match(fund_id=second.id, project_id=project.id, institution_id=institution.id,
                             score=61 + n if n % 2 == 0 else 50))
    db.session.commit()
    login(investor)

    first_page = client.get("/matching/").get_data(as_text=True)
    second_page = client.get("/matching/?page=2").get_data(as_text=True)
    assert "共 12 个项目" in first_page
    shown = [[p.title for p in projects if p.title in page] for page in (first_page, second_page)]
    assert len(shown[0]) == 10 and len(shown[1]) == 2 and not set(shown[0]) & set(shown[1])
    assert first_page.count("匹配项目11") == 1  # once, though both funds match it
    # best score first: project 10 (second fund, 71) before project 11 (first fund, 71; higher project id)
    assert first_page.index("匹配项目10") < first_page.index("匹配项目11") < first_page.index("匹配项目09")
    card = first_page[first_page.index("匹配项目10"):first_page.index("匹配项目11")]
    assert "第二只基金" in card  # the better-scoring fund is the one named
    assert client.get("/matching/?page=99").get_data(as_text=True).count("匹配项目0") == 2  # past the end: the last page

    by_amount = client.get("/matching/?sort=amount").get_data(as_text=True)
    assert by_amount.index("匹配项目11") < by_amount.index("匹配项目10") < by_amount.index("匹配项目02")
    client.post(f"/matching/projects/{projects[11].id}/flag", data={"flag": "hidden"})
    assert "共 11 个项目" in client.get("/matching/").get_data(as_text=True)
    assert "共 1 个项目" in client.get("/matching/?view=hidden").get_data(as_text=True)
