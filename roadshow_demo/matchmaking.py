"""A matchmaking day (对接会) after the next roadshow with a full line-up: demo data.

Every demo investor has joined and marked the session's startups (and the startups them) from a fixed
random generator, a few slots are unavailable, and the schedule is computed, so the admin's grid is
filled; it is left unpublished (publishing, with its notifications, is the admin's step to try), with
the deadline at the session's start so investors can still change their marks. Looked up by its
session first, so a second run adds nothing.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role, User, UserRole
from roadshow.extensions import db
from roadshow.matchmaking import services
from roadshow.matchmaking.models import Mark, MatchmakingDay, MatchmakingParty, MatchmakingPreference
from roadshow.roadshows.models import RoadshowSession, SessionStatus, Slot
from . import data

MARKS = [Mark.MUST] * 2 + [Mark.LIKE] * 4 + [Mark.NO] + [None] * 3


def seed_demo(today: date) -> None:
    session = db.session.scalars(
        sa.select(RoadshowSession).join(Slot).where(RoadshowSession.status == SessionStatus.SCHEDULED,
                                                    sa.func.date(RoadshowSession.starts_at) > today)
        .group_by(RoadshowSession.id).having(sa.func.count(Slot.id) >= 3).order_by(RoadshowSession.starts_at)
    ).first()
    if session is None or db.session.scalar(sa.select(MatchmakingDay.id).where(MatchmakingDay.session_id == session.id)):
        return
    day = MatchmakingDay(title=f"{session.title} · 投融资对接会", session_id=session.id,
                         location=f"{session.venue.name} 洽谈区", starts_at=session.ends_at + timedelta(minutes=30),
                         slot_minutes=15, slot_count=8, deadline=session.starts_at)
    db.session.add(day)
    db.session.flush()
    startups = [MatchmakingParty(day_id=day.id, project_id=slot.project_id) for slot in session.slots]
    investors = [MatchmakingParty(day_id=day.id, user_id=user.id) for user in db.session.scalars(
        sa.select(User).join(UserRole).where(UserRole.role == Role.INVESTOR).order_by(User.id))]
    db.session.add_all(startups + investors)
    db.session.flush()
    rng = random.Random(f"matchmaking-{session.id}")
    for investor in investors:
        investor.unavailable_mask = sum(1 << n for n in range(day.slot_count) if rng.random() < 0.1)
        for startup in startups:
            for one, other in ((investor, startup), (startup, investor)):
                mark = rng.choice(MARKS)
                if mark is not None:
                    db.session.add(MatchmakingPreference(from_party_id=one.id, to_party_id=other.id, mark=mark))
    db.session.flush()
    db.session.expire(day)
    admin = db.session.scalars(sa.select(User).where(User.email == f"admin@{data.EMAIL_DOMAIN}")).one()
    services.solve_day(admin, day, time_limit=2)
