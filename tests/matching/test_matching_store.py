"""Stored matches: the refresh job recomputes only what changed, and that equals a full recompute."""
import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain, Stage
from roadshow.investors.models import Fund
from roadshow.matching.models import Match
from roadshow.matching.services import recompute_all, refresh_stale
from roadshow.meetings.services import request_meeting
from roadshow.projects.models import ProjectStatus

WAN = 10_000


def stored(db) -> dict:
    return {(m.fund_id, m.project_id): (m.score, tuple(m.reasons)) for m in db.session.scalars(sa.select(Match))}


@pytest.fixture
def market(db, make_user, make_company, make_project, make_institution):
    """Two institutions (an IC fund, a biomedicine fund) and four public projects."""
    ic = make_institution(make_user(Role.INVESTOR))
    ic.funds[0].focus_chains, ic.funds[0].stages = ["integrated_circuits", "optoelectronics"], ["a", "b"]
    bio = make_institution(make_user(Role.INVESTOR))
    bio.funds[0].focus_chains, bio.funds[0].regions = ["life_health"], ["nationwide"]
    bio.funds.append(Fund(name="生命健康二期", focus_chains=["life_health", "ai"], stages=["pre_a", "a"],
                          regions=[], ticket_min=200 * WAN, ticket_max=3000 * WAN))
    db.session.commit()
    chip = make_company(industry_chain=IndustryChain.INTEGRATED_CIRCUITS, srdi_level="provincial")
    pharma = make_company(industry_chain=IndustryChain.LIFE_HEALTH, city="上海", innovation_score=60)
    projects = [
        make_project(chip, ProjectStatus.APPROVED, amount_sought=1000 * WAN),
        make_project(chip, ProjectStatus.SCHEDULED, financing_round=Stage.B, amount_sought=8000 * WAN),
        make_project(pharma, ProjectStatus.PRESENTED, amount_sought=2000 * WAN),
        make_project(pharma, ProjectStatus.APPROVED, financing_round=Stage.PRE_A, amount_sought=500 * WAN),
    ]
    make_project(pharma, ProjectStatus.DRAFT)  # not public: never scored
    first = refresh_stale()
    db.session.commit()
    assert first.full
    return ic, bio, projects


def assert_same_as_full(db):
    incremental = stored(db)
    recompute_all()
    db.session.flush()
    assert stored(db) == incremental


def test_stored_matches_rank_the_ic_project_first_for_the_ic_fund(db, market):
    ic, bio, projects = market
    rows = db.session.scalars(sa.select(Match).where(Match.fund_id == ic.funds[0].id).order_by(Match.score.desc()))
    best = next(iter(rows))
    assert best.project_id == projects[0].id
    assert "产业链：集成电路" in best.explanation and "覆盖 1000 万需求" in best.explanation
    assert all(m.project.is_public for m in db.session.scalars(sa.select(Match)))


def test_changing_one_project_recomputes_only_it_and_equals_a_full_recompute(db, market):
    _, _, projects = market
    projects[2].amount_sought = 40_000 * WAN
    projects[2].financing_round = Stage.C_PLUS
    db.session.commit()
    refresh = refresh_stale()
    assert not refresh.full and refresh.projects == {projects[2].id} and not refresh.funds
    assert_same_as_full(db)


def test_changing_a_fund_or_its_people_behaviour_recomputes_its_row(db, market):
    ic, bio, projects = market
    bio.funds[1].ticket_min, bio.funds[1].ticket_max = 5000 * WAN, 20_000 * WAN
    db.session.commit()
    assert refresh_stale().funds == {bio.funds[1].id}
    assert_same_as_full(db)
    db.session.commit()
    before = stored(db)[(ic.funds[0].id, projects[0].id)][0]
    request_meeting(ic.members[0], projects[0])  # interest in an IC project feeds the behaviour signal
    db.session.commit()
    assert refresh_stale().funds == {ic.funds[0].id}
    assert stored(db)[(ic.funds[0].id, projects[0].id)][0] > before
    assert_same_as_full(db)


def test_a_project_that_stops_being_public_loses_its_matches(db, market):
    _, _, projects = market
    assert any(p == projects[3].id for _, p in stored(db))
    projects[3].status = ProjectStatus.UNDER_REVIEW
    db.session.commit()
    refresh_stale()
    assert all(p != projects[3].id for _, p in stored(db))
    assert_same_as_full(db)


def test_changed_weights_trigger_a_full_recompute(app, db, market):
    app.config["MATCH_WEIGHTS"] = {**app.config["MATCH_WEIGHTS"], "region": 25}
    assert refresh_stale().full
    assert refresh_stale().nothing
