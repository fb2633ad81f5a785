"""Reviewers: matched by chain, never judging their own company, seeing only their assignments; the rubric and its summary."""
from statistics import pstdev

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.projects.models import ProjectStatus
from roadshow.screening import reviews, services
from roadshow.screening.models import ReviewScore

MARKS = dict(technology=4, market=3, team=5, financing_fit=4)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def make_reviewer(db, make_user):
    def make(*chains: IndustryChain, name: str = "评审专家"):
        reviewer = make_user(Role.REVIEWER, name=name)
        if chains:
            reviews.save_profile(reviewer, title="教授", organization="华中科技大学", chains=[c.value for c in chains], bio="")
            db.session.commit()
        return reviewer

    return make


@pytest.fixture
def application(db, make_user, make_company, make_project, make_series):
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder, industry_chain=IndustryChain.OPTOELECTRONICS), ProjectStatus.SUBMITTED)
    application = services.apply(founder, project, series=make_series())
    db.session.commit()
    return application


def assigned(db, application, reviewer, admin):
    assignment = reviews.assign(application, reviewer, admin)
    db.session.commit()
    return assignment


# --- conflict of interest ------------------------------------------------------------------

def test_a_reviewer_from_the_applying_company_cannot_be_assigned(db, application, make_reviewer, admin):
    insider = make_reviewer(IndustryChain.OPTOELECTRONICS, name="企业内部专家")
    insider.company_id = application.project.company_id
    db.session.commit()
    with pytest.raises(PermissionDenied, match="利益冲突"):
        reviews.assign(application, insider, admin)
    db.session.rollback()
    assert reviews.assignments_of(application) == []
    # the suggestions list them last and flagged
    candidates = reviews.candidates(application)
    assert candidates[-1].reviewer.id == insider.id and candidates[-1].conflict


def test_a_reviewer_who_joined_the_company_after_assignment_cannot_score(db, application, make_reviewer, admin):
    reviewer = make_reviewer(IndustryChain.OPTOELECTRONICS)
    assignment = assigned(db, application, reviewer, admin)
    reviewer.company_id = application.project.company_id
    db.session.commit()
    with pytest.raises(PermissionDenied, match="利益冲突"):
        reviews.save_score(assignment, reviewer, **MARKS)


def test_only_reviewers_are_assigned_and_only_once(db, application, make_user, make_reviewer, admin):
    with pytest.raises(RuleViolation, match="不是在册的评审专家"):
        reviews.assign(application, make_user(Role.INVESTOR), admin)
    reviewer = make_reviewer(IndustryChain.AI)
    assigned(db, application, reviewer, admin)
    with pytest.raises(RuleViolation, match="已在评审"):
        reviews.assign(application, reviewer, admin)


def test_suggestions_put_chain_experts_and_the_less_busy_first(db, application, make_reviewer, admin,
                                                              make_user, make_company, make_project, make_series):
    generalist = make_reviewer(IndustryChain.AI, name="甲")
    busy_expert = make_reviewer(IndustryChain.OPTOELECTRONICS, name="乙")
    free_expert = make_reviewer(IndustryChain.OPTOELECTRONICS, IndustryChain.DISPLAYS, name="丙")
    other_founder = make_user(Role.STARTUP)
    other = services.apply(other_founder, make_project(make_company(other_founder), ProjectStatus.SUBMITTED),
                           series=make_series())
    assigned(db, other, busy_expert, admin)
    order = [c.reviewer.id for c in reviews.candidates(application)]
    assert order == [free_expert.id, busy_expert.id, generalist.id]
    assert [c.matches_chain for c in reviews.candidates(application)] == [True, True, False]


# --- visibility ----------------------------------------------------------------------------

def test_reviewer_sees_only_assigned_applications(client, db, login, application, make_reviewer, admin):
    mine, theirs = make_reviewer(IndustryChain.OPTOELECTRONICS, name="周启明"), make_reviewer(name="吴静怡")
    assignment = assigned(db, application, mine, admin)
    login(theirs)
    page = client.get("/screening/reviews").get_data(as_text=True)
    assert application.project.title not in page and "暂时没有评审任务" in page
    assert client.get(f"/screening/reviews/{assignment.id}").status_code == 404
    assert client.post(f"/screening/reviews/{assignment.id}", data=MARKS).status_code == 404
    assert client.get(f"/screening/reviews/{assignment.id}/deck").status_code == 404
    assert client.get(f"/screening/admin/applications/{application.id}").status_code == 403
    assert client.get("/screening/admin/applications").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewScore)) == 0
    client.post("/logout")
    login(mine)
    page = client.get("/screening/reviews").get_data(as_text=True)
    assert application.project.title in page
    page = client.get(f"/screening/reviews/{assignment.id}").get_data(as_text=True)
    assert application.project.pitch in page and "评分表" in page


def test_other_roles_have_no_review_pages(client, login, make_user):
    login(make_user(Role.STARTUP))
    assert client.get("/screening/reviews").status_code == 403


def test_reviewer_scores_through_the_page_and_edits_until_decided(client, db, login, application, make_reviewer, admin):
    reviewer = make_reviewer(IndustryChain.OPTOELECTRONICS)
    assignment = assigned(db, application, reviewer, admin)
    login(reviewer)
    page = client.post(f"/screening/reviews/{assignment.id}", data={**MARKS, "comment": "技术扎实"},
                       follow_redirects=True).get_data(as_text=True)
    assert "评分已保存" in page
    client.post(f"/screening/reviews/{assignment.id}", data={**MARKS, "market": 5})
    db.session.expire_all()
    score = db.session.scalars(sa.select(ReviewScore)).one()  # edited in place: one score per assignment
    assert (score.market, score.comment) == (5, "技术扎实")
    services.accept(application, admin)
    db.session.commit()
    page = client.post(f"/screening/reviews/{assignment.id}", data={**MARKS, "market": 1},
                       follow_redirects=True).get_data(as_text=True)
    assert "评分已锁定" in page
    db.session.expire_all()
    assert db.session.scalars(sa.select(ReviewScore)).one().market == 5


# --- rubric --------------------------------------------------------------------------------

@pytest.mark.parametrize("criterion, value", [("technology", 6), ("team", 0), ("market", None), ("financing_fit", 2.5)])
def test_rubric_bounds_refused_with_a_clear_message(db, application, make_reviewer, admin, criterion, value):
    reviewer = make_reviewer(IndustryChain.OPTOELECTRONICS)
    assignment = assigned(db, application, reviewer, admin)
    with pytest.raises(RuleViolation, match="须为 1–5 分的整数") as refused:
        reviews.save_score(assignment, reviewer, **{**MARKS, criterion: value})
    assert refused.value.field == criterion


def test_rubric_bounds_on_the_form(client, db, login, application, make_reviewer, admin):
    reviewer = make_reviewer(IndustryChain.OPTOELECTRONICS)
    assignment = assigned(db, application, reviewer, admin)
    login(reviewer)
    page = client.post(f"/screening/reviews/{assignment.id}", data={**MARKS, "technology": "6"}).get_data(as_text=True)
    assert "“技术”须为 1–5 分的整数。" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewScore)) == 0


def test_an_unrated_criterion_asks_for_its_score(client, db, login, application, make_reviewer, admin):
    assignment = assigned(db, application, make_reviewer(), admin)
    login(assignment.reviewer)
    marks = {k: v for k, v in MARKS.items() if k != "market"}
    page = client.post(f"/screening/reviews/{assignment.id}", data=marks).get_data(as_text=True)
    assert "请为市场打分。" in page and "须为 1–5 分的整数" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewScore)) == 0


def test_the_database_refuses_marks_out_of_range(db, application, make_reviewer, admin):
    assignment = assigned(db, application, make_reviewer(), admin)
    db.session.add(ReviewScore(assignment=assignment, **{**MARKS, "team": 7}))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_rubric_summary_of_hand_made_scores(db):
    scores = [
        ReviewScore(technology=5, market=4, team=4, financing_fit=3),  # overall 4.0
        ReviewScore(technology=3, market=2, team=3, financing_fit=2),  # overall 2.5
        ReviewScore(technology=4, market=3, team=5, financing_fit=4),  # overall 4.0
    ]
    summary = reviews.summarize(scores)
    assert summary.count == 3
    assert summary.averages == pytest.approx({"technology": 4.0, "market": 3.0, "team": 4.0, "financing_fit": 3.0})
    assert summary.overall == pytest.approx(3.5)
    assert (summary.low, summary.high, summary.spread) == (2.5, 4.0, 1.5)
    assert summary.stdev == pytest.approx(pstdev([4.0, 2.5, 4.0]))
    assert summary.stdev == pytest.approx(0.7071, abs=1e-4)
    empty = reviews.summarize([])
    assert empty.count == 0 and empty.overall is None and empty.spread is None


def test_admin_sees_averages_and_spread_for_an_application(client, db, login, application, make_reviewer, admin):
    for marks in (dict(technology=5, market=4, team=4, financing_fit=3), dict(technology=3, market=2, team=3, financing_fit=2)):
        reviewer = make_reviewer(IndustryChain.OPTOELECTRONICS)
        reviews.save_score(assigned(db, application, reviewer, admin), reviewer, **marks)
        db.session.commit()
    login(admin)
    page = client.get(f"/screening/admin/applications/{application.id}").get_data(as_text=True)
    assert "综合均分" in page and "3.25" in page  # (4.0 + 2.5) / 2
    assert "2.50–4.00" in page and "0.75" in page  # range and standard deviation
    assert "分歧较大" in page
    assert "团队" in page and "3.50" in page and "3.00" in page  # per-criterion averages: team 3.5, market 3.0
    listing = client.get("/screening/admin/applications").get_data(as_text=True)
    assert "3.25" in listing and "2 人评分" in listing


def test_admin_assigns_through_the_page(client, db, login, application, make_reviewer, admin):
    reviewer = make_reviewer(IndustryChain.OPTOELECTRONICS, name="周启明")
    login(admin)
    page = client.get(f"/screening/admin/applications/{application.id}").get_data(as_text=True)
    assert "周启明 · 教授 · 产业链匹配 · 在审 0 份" in page
    page = client.post(f"/screening/admin/applications/{application.id}/assign", data={"reviewer_id": reviewer.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "已分配评审专家：周启明" in page
    assert [a.reviewer_id for a in reviews.assignments_of(application)] == [reviewer.id]


def test_reviewer_keeps_an_expert_profile(client, db, login, make_reviewer):
    reviewer = make_reviewer()
    login(reviewer)
    page = client.post("/screening/profile", data={"title": "研究员"}).get_data(as_text=True)
    assert "请至少选择一个擅长的产业链" in page
    client.post("/screening/profile", data={"title": "研究员", "organization": "武汉光电国家研究中心",
                                            "chains": ["optoelectronics", "integrated_circuits"], "bio": "光通信"})
    profile = reviews.profile_of(reviewer)
    assert profile.chains == ["optoelectronics", "integrated_circuits"] and profile.title == "研究员"
