"""Slot filling: earliest accepted first, within the startup's preferred dates, the session's chain, or its target."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain
from roadshow.common.timeutil import local_to_utc, to_local
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Application, ApplicationStatus, RoadshowSession, SeriesKind, SessionStatus
from roadshow.scheduling.horizon import fill_horizon

NOW = local_to_utc(datetime(2026, 12, 7, 9, 0))  # Monday; slots are filled from Tuesday the 8th
DECIDED = local_to_utc(datetime(2026, 11, 20, 10, 0))


@pytest.fixture
def daily(make_series, make_template):
    series = make_series(name="每日路演", slug="daily", kind=SeriesKind.DAILY)
    make_template(series=series, slots_count=2)
    return series


@pytest.fixture
def accepted(db, make_user, make_company, make_project):
    """accepted(series, chain=..., hours=..., **application fields): an approved project's accepted application."""

    def make(target, chain=IndustryChain.OPTOELECTRONICS, hours=0, **fields):
        founder = make_user(Role.STARTUP)
        company = make_company(founder, industry_chain=chain)
        project = make_project(company, ProjectStatus.APPROVED)
        target_field = {"session": target} if isinstance(target, RoadshowSession) else {"series": target}
        application = Application(project=project, status=ApplicationStatus.ACCEPTED,
                                  decided_at=DECIDED + timedelta(hours=hours), **target_field, **fields)
        db.session.add(application)
        db.session.commit()
        return application

    return make


def day_of(application) -> date | None:
    slot = application.slot
    return to_local(slot.session.starts_at).date() if slot else None


def fill(db, days=14):
    result = fill_horizon(NOW, days=days)
    db.session.commit()
    db.session.expire_all()
    return result


def test_earliest_accepted_goes_first(db, daily, accepted):
    third = accepted(daily, hours=3)
    first = accepted(daily, hours=1)
    second = accepted(daily, hours=2)

    assert fill(db)["placed"] == 3

    assert day_of(first) == day_of(second) == date(2026, 12, 8)  # two slots on the first day
    assert [s.project_id for s in first.slot.session.slots] == [first.project_id, second.project_id]
    assert day_of(third) == date(2026, 12, 9)


def test_placing_schedules_the_project_and_session_and_tells_the_startup(db, daily, accepted):
    application = accepted(daily)
    fill(db)
    session = application.slot.session
    assert application.project.status == ProjectStatus.SCHEDULED
    assert session.status == SessionStatus.SCHEDULED
    assert (application.slot.pitch_minutes, application.slot.qa_minutes) == (10, 10)
    founder = application.project.company.members[0]
    note = db.session.scalars(sa.select(Notification).where(Notification.user_id == founder.id)).one()
    assert session.title in note.title and note.link == f"/sessions/{session.id}"


def test_filling_again_places_nobody_twice(db, daily, accepted):
    application = accepted(daily)
    fill(db)
    slot_id = application.slot_id
    assert fill(db)["placed"] == 0
    assert application.slot_id == slot_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1


def test_preferred_dates_are_honoured(db, daily, accepted):
    later = accepted(daily, preferred_from=date(2026, 12, 10), preferred_to=date(2026, 12, 11))
    impossible = accepted(daily, hours=1, preferred_to=date(2026, 12, 6))
    fill(db)
    assert day_of(later) == date(2026, 12, 10)
    assert impossible.slot is None  # still waiting in the queue


def test_the_series_chain_is_honoured(db, make_series, make_template, accepted):
    chain = make_series(name="一月一链·光电子", slug="chain-opto", industry_chain=IndustryChain.OPTOELECTRONICS)
    make_template(name="光电子专场", series=chain, rule="weekly", weekdays=[2])
    ai_project = accepted(chain, chain=IndustryChain.AI)
    optics = accepted(chain, hours=1)
    fill(db)
    assert ai_project.slot is None
    assert day_of(optics) == date(2026, 12, 9)  # the Wednesday


def test_a_rotating_session_chain_is_honoured(db, make_series, make_template, accepted):
    series = make_series(name="每日路演", slug="daily", kind=SeriesKind.DAILY)
    # Rotation per session from Monday 7 December: 7th optics, 8th AI, 9th optics, ...
    make_template(series=series, valid_from=date(2026, 12, 7), title_pattern="每日路演 · {chain}专场",
                  chain_rotation=[IndustryChain.OPTOELECTRONICS.value, IndustryChain.AI.value])
    ai = accepted(series, chain=IndustryChain.AI)
    optics = accepted(series, hours=1)
    fill(db)
    assert day_of(ai) == date(2026, 12, 8)
    assert day_of(optics) == date(2026, 12, 9)  # the 8th is the AI day
    assert ai.slot.session.title == "每日路演 · 人工智能专场"


def test_an_application_for_one_session_goes_there(db, daily, accepted):
    fill(db)
    target = db.session.scalars(sa.select(RoadshowSession).order_by(RoadshowSession.starts_at.desc())).first()
    early_bird = accepted(daily)
    targeted = accepted(target, chain=IndustryChain.AI, hours=1)
    fill(db)
    assert targeted.slot.session_id == target.id
    assert day_of(early_bird) == date(2026, 12, 8)


def test_full_sessions_leave_later_applications_waiting(db, daily, accepted):
    applications = [accepted(daily, hours=n) for n in range(5)]
    fill(db, days=2)  # only the 8th and 9th: four slots
    assert [a.slot is not None for a in applications] == [True, True, True, True, False]
    assert day_of(applications[3]) == date(2026, 12, 9)


def test_cancelled_sessions_get_no_projects(db, daily, accepted):
    fill(db)
    first = db.session.scalars(sa.select(RoadshowSession).order_by(RoadshowSession.starts_at).offset(1)).first()
    assert to_local(first.starts_at).date() == date(2026, 12, 8)
    first.status = SessionStatus.CANCELLED
    db.session.commit()
    application = accepted(daily)
    fill(db)
    assert day_of(application) == date(2026, 12, 9)
