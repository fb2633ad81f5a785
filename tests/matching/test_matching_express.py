"""投资直通车: a subscriber hears about each fitting project once, instantly or in a daily digest."""
import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain, Stage
from roadshow.common.errors import RuleViolation
from roadshow.common.timeutil import utcnow
from roadshow.matching.express import save_search
from roadshow.matching.jobs import express_digest, match_refresh
from roadshow.matching.models import Frequency
from roadshow.notifications.models import Notification, OutboxEmail
from roadshow.projects.models import ProjectStatus

WAN = 10_000


def notes(db, user, kind):
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id,
                                                                 Notification.kind == kind)))


@pytest.fixture
def investor(db, make_user, make_institution):
    user = make_user(Role.INVESTOR)
    make_institution(user)
    return user


@pytest.fixture
def chip_company(make_company):
    return make_company(industry_chain=IndustryChain.OPTOELECTRONICS)


def test_an_instant_subscription_notifies_once_per_project(db, investor, chip_company, make_project, make_company):
    search = save_search(investor, name="光电A轮", chains=["optoelectronics"], stages=["a"],
                         amount_min=500 * WAN, amount_max=5000 * WAN, min_score=50, frequency=Frequency.INSTANT)
    db.session.commit()
    fitting = make_project(chip_company, ProjectStatus.UNDER_REVIEW, amount_sought=1000 * WAN)
    make_project(chip_company, ProjectStatus.APPROVED, financing_round=Stage.B)  # wrong round
    make_project(make_company(industry_chain=IndustryChain.LIFE_HEALTH), ProjectStatus.APPROVED)  # wrong chain
    match_refresh(utcnow())
    db.session.commit()
    assert notes(db, investor, "express_match") == []  # not public yet

    fitting.status = ProjectStatus.APPROVED
    db.session.commit()
    assert match_refresh(utcnow())["express"] == 1
    db.session.commit()
    fitting.status = ProjectStatus.SCHEDULED  # a later change is not news a second time
    db.session.commit()
    match_refresh(utcnow())
    db.session.commit()

    sent = notes(db, investor, "express_match")
    assert len(sent) == 1 and fitting.title in sent[0].body and "光电A轮" in sent[0].title
    assert sent[0].dedupe_key == f"express:{search.id}:{fitting.id}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.to_address == investor.email)) == 1


def test_a_min_score_the_institution_does_not_reach_filters_the_project_out(db, investor, chip_company, make_project):
    save_search(investor, name="高分项目", chains=[], stages=[], min_score=99, frequency=Frequency.INSTANT)
    db.session.commit()
    make_project(chip_company, ProjectStatus.APPROVED)
    match_refresh(utcnow())
    db.session.commit()
    assert notes(db, investor, "express_match") == []


def test_a_daily_subscription_gets_one_digest_listing_its_projects(db, investor, chip_company, make_project):
    save_search(investor, name="光电每日", chains=["optoelectronics"], stages=[], frequency=Frequency.DAILY)
    db.session.commit()
    projects = [make_project(chip_company, ProjectStatus.APPROVED) for _ in range(2)]
    match_refresh(utcnow())
    db.session.commit()
    assert notes(db, investor, "express_match") == []
    assert express_digest(utcnow()) == {"digests": 1}
    db.session.commit()
    assert express_digest(utcnow()) == {"digests": 0}
    digests = notes(db, investor, "express_digest")
    assert len(digests) == 1 and all(p.title in digests[0].body for p in projects)


def test_amount_bounds_must_be_ordered_and_only_investors_subscribe(db, investor, make_user):
    with pytest.raises(RuleViolation, match="上限"):
        save_search(investor, name="x", amount_min=5000 * WAN, amount_max=100 * WAN)
    with pytest.raises(RuleViolation, match="投资机构"):
        save_search(make_user(Role.STARTUP), name="x")
