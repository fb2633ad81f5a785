"""Live rooms: demo data. The most recent past session gets the record a real one leaves behind:
attendees, questions with votes (one anonymous, some answered or pinned), meeting interest and
announcements; its room is closed. Idempotent: rows are looked up by their natural keys first.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.timeutil import local_to_utc
from . import data
from roadshow.extensions import db
from roadshow.roadshows.models import Booking, BookingStatus, RoadshowSession, Series, SessionStatus, Slot
from roadshow.live.models import Announcement, Interest, LiveRoom, Phase, Question, QuestionStatus, QuestionVote

ATTENDEES = 8  # demo investors who took a seat in the past session
QUESTIONS = (
    "目前的量产良率和月产能分别是多少？明年的扩产计划如何安排？",
    "核心器件是否已经实现国产替代？主要供应商集中度高吗？",
    "前五大客户收入占比是多少？是否存在客户集中风险？",
    "与国际头部厂商相比，关键技术指标的差距和优势分别在哪里？",
    "本轮融资资金的使用优先级？预计多久达到盈亏平衡？",
    "核心团队的股权结构和期权池是如何安排的？",
)
ANNOUNCEMENTS = (
    "欢迎各位投资人！每个项目路演 10 分钟、问答 10 分钟，点赞多的问题优先回答。",
    "路演结束后可在洽谈区与企业一对一交流，已在直播间申请约谈的，工作人员会协助安排。",
)


def seed_demo(today: date) -> None:
    """Adds this domain's demo rows; idempotent like the rest of the demo data set."""
    _open_online_specials_to_viewers()
    session = _latest_past_session(today)
    if session is None:
        return
    investors = _investors()[:ATTENDEES]
    for investor in investors:
        _ensure_seat(session, investor)
    rng = random.Random(f"live-demo|{session.starts_at.isoformat()}")
    for number, slot in enumerate(session.slots):
        _seed_slot(session, slot, investors, rng, number)
    for minutes, body in zip((1, 2 + 20 * len(session.slots)), ANNOUNCEMENTS):
        _ensure(Announcement, session_id=session.id, body=body,
                defaults={"author_id": session.host_id, "created_at": session.starts_at + timedelta(minutes=minutes)})
    room = db.session.get(LiveRoom, session.id) or LiveRoom(session_id=session.id)
    room.phase, room.timer_ends_at = Phase.ENDED, None
    room.current_slot_id = session.slots[-1].id if session.slots else None
    db.session.add(room)
    db.session.flush()


def _open_online_specials_to_viewers() -> None:
    """The monthly chain special is held online: anyone may watch its live room."""
    for session in db.session.scalars(
            sa.select(RoadshowSession).join(Series).where(Series.slug == "chain-monthly")):
        session.public_viewing = True


def _latest_past_session(today: date) -> RoadshowSession | None:
    return db.session.scalars(
        sa.select(RoadshowSession).join(Slot)
        .where(RoadshowSession.status == SessionStatus.ENDED,
               RoadshowSession.starts_at < local_to_utc(datetime.combine(today, time())))
        .order_by(RoadshowSession.starts_at.desc()).limit(1)
    ).first()


def _investors() -> list[User]:
    pattern = f"investor%@{data.EMAIL_DOMAIN}"
    return [u for u in db.session.scalars(sa.select(User).where(User.email.like(pattern)).order_by(User.email))
            if u.institution is not None]


def _ensure(model, defaults: dict | None = None, **key):
    row = db.session.scalars(sa.select(model).filter_by(**key)).first()
    if row is None:
        row = model(**key, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def _ensure_seat(session: RoadshowSession, investor: User) -> None:
    booking = db.session.scalars(
        sa.select(Booking).where(Booking.session_id == session.id, Booking.user_id == investor.id)).first()
    if booking is None and session.seats_taken < session.capacity:
        at = session.starts_at - timedelta(days=2)
        db.session.add(Booking(session_id=session.id, user_id=investor.id, status=BookingStatus.CONFIRMED,
                               created_at=at, updated_at=at))
        session.seats_taken += 1


def _seed_slot(session: RoadshowSession, slot: Slot, investors: list[User], rng: random.Random, number: int) -> None:
    qa_start = session.starts_at + timedelta(minutes=20 * number + slot.pitch_minutes)
    askers = rng.sample(investors, k=min(3, len(investors)))
    for n, (author, body) in enumerate(zip(askers, rng.sample(QUESTIONS, k=len(askers)))):
        asked = qa_start - timedelta(minutes=6 - n)
        question = _ensure(Question, session_id=session.id, author_id=author.id, body=body, defaults={
            "project_id": slot.project_id, "anonymous": n == 2, "status": QuestionStatus.APPROVED,
            "pinned": n == 0, "votes": 0, "created_at": asked,
            "answered_at": qa_start + timedelta(minutes=2 * n) if n < 2 else None,
        })
        voters = [i for i in investors if i.id != author.id][: rng.randint(1, 5)]
        for voter in voters:
            _ensure(QuestionVote, question_id=question.id, user_id=voter.id, defaults={"created_at": asked})
        question.votes = db.session.scalar(
            sa.select(sa.func.count()).select_from(QuestionVote).where(QuestionVote.question_id == question.id))
    for investor in rng.sample(investors, k=min(2 + number, len(investors))):
        _ensure(Interest, session_id=session.id, project_id=slot.project_id, investor_id=investor.id,
                defaults={"created_at": qa_start})
