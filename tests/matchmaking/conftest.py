"""A matchmaking day with three startups and four investors, set up by an admin."""
from datetime import timedelta
from typing import NamedTuple

import pytest

from roadshow.accounts.models import Role, User
from roadshow.common.timeutil import utcnow
from roadshow.matchmaking import services
from roadshow.matchmaking.models import MatchmakingDay
from roadshow.projects.models import Project, ProjectStatus


class World(NamedTuple):
    admin: User
    day: MatchmakingDay
    founders: list[User]
    projects: list[Project]
    investors: list[User]


@pytest.fixture
def world(db, make_user, make_company, make_project, make_institution) -> World:
    admin = make_user(Role.ADMIN)
    founders, projects = [], []
    for _ in range(3):
        founder = make_user(Role.STARTUP)
        founders.append(founder)
        projects.append(make_project(make_company(founder), ProjectStatus.APPROVED))
    investors = []
    for _ in range(4):
        investor = make_user(Role.INVESTOR)
        make_institution(investor)
        investors.append(investor)
    start = utcnow().replace(second=0, microsecond=0) + timedelta(days=3)
    day = services.create_day(admin, title="光电子专场对接会", starts_at=start, deadline=start - timedelta(days=1),
                              slot_minutes=15, slot_count=4, location="光谷金融港 B3 栋")
    for project in projects:
        services.add_startup(admin, day, project)
    for investor in investors:
        services.join(investor, day)
    db.session.commit()
    return World(admin, day, founders, projects, investors)


def party_id(day, who) -> int:
    return services.party_of(who, day).id


def mark_all(world, investor_marks: dict, startup_marks: dict | None = None, commit=True):
    """investor_marks[(investor index, project index)] = mark; startup_marks likewise, from the startup."""
    from roadshow.extensions import db

    day = world.day
    by_investor, by_founder = {}, {}
    for (i, p), mark in investor_marks.items():
        by_investor.setdefault(i, {})[party_id(day, world.founders[p])] = mark
    for (i, p), mark in (startup_marks or {}).items():
        by_founder.setdefault(p, {})[party_id(day, world.investors[i])] = mark
    for i, marks in by_investor.items():
        services.save_marks(world.investors[i], day, marks, set())
    for p, marks in by_founder.items():
        services.save_marks(world.founders[p], day, marks, set())
    if commit:
        db.session.commit()
