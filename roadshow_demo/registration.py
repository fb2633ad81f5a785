"""Registration for attendee types other than investors: demo data.

A capital-markets training series (资本市场培训) admits startups by default and asks every registrant how far
its company is on the way to listing; its session on the Beijing Stock Exchange rules adds a question of its
own, and two demo startups have registered with their answers. An open day admits the public (and a few
startups). Both are Saturday mornings in the center's main hall. Rows are looked up by slug or title first,
so a second run adds nothing.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.timeutil import local_to_utc
from roadshow.extensions import db
from roadshow.roadshows.models import (
    AttendeeType, Booking, QuestionKind, RegistrationAnswer, RegistrationQuestion, RoadshowSession, Series,
    SeriesKind, SessionStatus, Venue,
)
from roadshow.roadshows.registration import questions_for
from roadshow.roadshows.services import overlapping_session
from . import data

TRAINING_SLUG = "capital-markets-training"
TRAINING_TITLE = "北交所上市规则与申报实务培训"
OPEN_DAY_TITLE = "光谷科创路演中心开放日"
STAGE_OPTIONS = ("尚未启动", "筹备股改", "已完成股改", "已辅导备案", "已申报")
MORNING = (time(9, 30), time(11, 30))


def seed_demo(today: date) -> None:
    series = _training_series()
    training = _session(today, 9, TRAINING_TITLE, "Beijing Stock Exchange Listing Rules and Filing in Practice",
                        "讲解北交所上市条件、审核关注要点与申报材料准备，面向拟上市的创新型中小企业（每家企业可报名1–2人）。",
                        capacity=0, startup_capacity=series.startup_capacity, public_capacity=0, series=series)
    _questions(series, training)
    open_day = _session(today, 16, OPEN_DAY_TITLE, "Optics Valley Roadshow Center Open Day",
                        "参观长江路演厅与直播间，了解路演中心的服务；现场有科技金融政策讲解。欢迎公众报名。",
                        capacity=0, startup_capacity=20, public_capacity=100, series=None)
    if training is not None:
        _register(training, AttendeeType.STARTUP, {"startup01": "已完成股改", "startup02": "筹备股改"},
                  {"startup01": "专精特新“小巨人”申报北交所的财务指标怎么算？"})
    if open_day is not None:
        _register(open_day, AttendeeType.PUBLIC, {"reviewer1": None}, {})
    db.session.flush()


def _training_series() -> Series:
    series = db.session.scalars(sa.select(Series).where(Series.slug == TRAINING_SLUG)).first()
    if series is None:
        series = Series(slug=TRAINING_SLUG, name="资本市场培训", name_en="Capital Markets Training",
                        kind=SeriesKind.TRAINING, startup_capacity=60, public_capacity=0,
                        description="科创板、北交所、创业板、新三板与区域股权市场的上市规则、融资工具与公司治理培训。",
                        description_en="Listing rules for the STAR Market, the Beijing Stock Exchange, ChiNext, NEEQ "
                                       "and the regional equity market, financing instruments and governance.")
        db.session.add(series)
        db.session.flush()
    return series


def _session(today: date, days_ahead: int, title: str, title_en: str, description: str, *, capacity: int,
             startup_capacity: int, public_capacity: int, series: Series | None) -> RoadshowSession | None:
    """The session, created on the first Saturday morning from `days_ahead` when the hall is free; None when it
    existed already (its registrations too)."""
    if db.session.scalar(sa.select(RoadshowSession.id).where(RoadshowSession.title == title)) is not None:
        return None
    hall = db.session.scalars(sa.select(Venue).where(Venue.name == data.HALL)).one()
    day = today + timedelta(days=days_ahead)
    day += timedelta(days=(5 - day.weekday()) % 7)  # a Saturday: the daily roadshows are on working days
    while True:
        starts_at, ends_at = (local_to_utc(datetime.combine(day, clock)) for clock in MORNING)
        if overlapping_session(hall.id, starts_at, ends_at) is None:
            break
        day += timedelta(days=7)
    session = RoadshowSession(
        title=title, title_en=title_en, description=description, venue_id=hall.id, starts_at=starts_at,
        ends_at=ends_at, status=SessionStatus.OPEN, series_id=series.id if series else None,
        capacity=capacity, seats_taken=0, startup_capacity=startup_capacity, startup_seats_taken=0,
        public_capacity=public_capacity, public_seats_taken=0,
        host=db.session.scalars(sa.select(User).where(User.email == f"host1@{data.EMAIL_DOMAIN}")).one())
    db.session.add(session)
    db.session.flush()
    return session


def _questions(series: Series, training: RoadshowSession | None) -> None:
    if db.session.scalar(sa.select(RegistrationQuestion.id).where(RegistrationQuestion.series_id == series.id)) is None:
        db.session.add(RegistrationQuestion(series_id=series.id, prompt="贵公司目前的上市准备阶段",
                                            kind=QuestionKind.CHOICE, options="\n".join(STAGE_OPTIONS), required=True))
    if training is not None:
        db.session.add(RegistrationQuestion(session_id=training.id, prompt="希望培训重点讲解的问题（选填）",
                                            kind=QuestionKind.TEXT, options="", required=False))
    db.session.flush()


def _register(session: RoadshowSession, attendee_type: AttendeeType, choices: dict, texts: dict) -> None:
    """Seats taken as the registration service would, with the answers given (demo rows, no notifications)."""
    questions = {q.kind: q for q in questions_for(session)}
    for account, choice in choices.items():
        user = db.session.scalars(sa.select(User).where(User.email == f"{account}@{data.EMAIL_DOMAIN}")).one()
        db.session.add(Booking(session_id=session.id, user_id=user.id, attendee_type=attendee_type))
        answers = {QuestionKind.CHOICE: choice, QuestionKind.TEXT: texts.get(account, "")}
        for kind, question in questions.items():
            db.session.add(RegistrationAnswer(question_id=question.id, session_id=session.id, user_id=user.id,
                                              value=answers[kind] or ""))
    taken = "startup_seats_taken" if attendee_type is AttendeeType.STARTUP else "public_seats_taken"
    setattr(session, taken, getattr(session, taken) + len(choices))
