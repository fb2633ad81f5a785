"""A capital-market training course (资本市场培训) run by the district organiser: demo data.

东湖高新区科技创新局 runs three mornings in the center's hall on listing rules (科创板 and 北交所,
then the regional equity market and 新三板): two held already, one ahead. Completing the course
takes two of the three. A founder attended both past sessions and holds a certificate; another
came to the first only. The first two sessions have a handout (a PDF, for those
registered) and a public link to the exchange's rules. Rows are looked up first, so a second run
adds nothing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.checkin.models import Attendance
from roadshow.common.files import write_file
from roadshow.common.timeutil import local_to_utc
from roadshow.extensions import db
from roadshow.organisers.models import DecisionStatus, Organiser, VenueRequest
from roadshow.roadshows.models import AttendeeType, Booking, RoadshowSession, Series, SeriesKind, SessionStatus, Venue
from roadshow.roadshows.services import overlapping_session
from roadshow.scheduling.workdays import working_days
from roadshow.training import materials
from roadshow.training.models import CourseRule, TrainingMaterial
from roadshow.training.services import issue_certificate
from . import data
from .organisers import MORNING
from .pdf import DeckPage, build_pdf

SLUG = "ehtz-capital-markets"
ORGANISER = "东湖高新区科技创新局"
REQUIRED = 2
# (title, English title, working days from today (negative: held), handout pages)
LESSONS = (
    ("资本市场培训 · 科创板上市规则与审核要点", "Capital Market Training · STAR Market Listing Rules", -8,
     [DeckPage("科创板上市规则与审核要点", ["科创属性评价指标", "五套上市标准", "审核问询的常见问题"])]),
    ("资本市场培训 · 北交所与新三板：专精特新企业的上市路径", "Capital Market Training · BSE and NEEQ for Specialised SMEs",
     -3, [DeckPage("北交所与新三板", ["创新层与基础层", "北交所直联审核", "专精特新企业案例"])]),
    ("资本市场培训 · 区域性股权市场与股权融资工具", "Capital Market Training · Regional Equity Market and Equity Financing",
     6, []),
)
LINKS = {0: ("上海证券交易所科创板股票上市规则", "https://www.sse.com.cn/lawandrules/sselawsrules/stocks/star/"),
         1: ("北京证券交易所业务规则", "https://www.bse.cn/important_news/")}
COMPLETED, PARTIAL = "startup01", "startup02"  # demo account local parts


def seed_demo(today: date) -> None:
    organiser = db.session.scalars(sa.select(Organiser).where(Organiser.name == ORGANISER)).first()
    if organiser is None or db.session.scalars(sa.select(Series).where(Series.slug == SLUG)).first() is not None:
        return
    series = Series(slug=SLUG, name="东湖高新区资本市场培训", name_en="East Lake Zone Capital Market Training",
                    kind=SeriesKind.TRAINING, organiser_id=organiser.id, startup_capacity=60,
                    description="面向区内科技型企业的上市培育课程：科创板、北交所、创业板、新三板与区域性股权市场的上市规则、融资工具与公司治理。",
                    description_en="Listing rules, financing instruments and governance for the zone's technology companies.")
    db.session.add(series)
    db.session.flush()
    db.session.add(CourseRule(series_id=series.id, required_sessions=REQUIRED))
    sessions = [_session(series, organiser, today, lesson) for lesson in LESSONS]
    db.session.flush()
    for index, (session, lesson) in enumerate(zip(sessions, LESSONS)):
        _materials(session, index, lesson)
    completed, partial = _account(COMPLETED), _account(PARTIAL)
    staff = _account("host1")
    _attend(sessions[0], completed, staff, came=True)
    _attend(sessions[1], completed, staff, came=True)
    _attend(sessions[2], completed, staff, came=False)
    _attend(sessions[0], partial, staff, came=True)
    _attend(sessions[1], partial, staff, came=False)
    db.session.flush()
    issue_certificate(completed, series)
    db.session.flush()


def _account(local_part: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == f"{local_part}@{data.EMAIL_DOMAIN}")).one()


def _session(series: Series, organiser: Organiser, today: date, lesson) -> RoadshowSession:
    title, title_en, offset, _pages = lesson
    hall = db.session.scalars(sa.select(Venue).where(Venue.name == data.HALL)).one()
    days = (working_days(today + timedelta(days=offset), today + timedelta(days=offset + 14)) if offset > 0 else
            list(reversed(working_days(today - timedelta(days=-offset + 14), today + timedelta(days=offset)))))
    for day in days:
        starts_at, ends_at = (local_to_utc(datetime.combine(day, clock)) for clock in MORNING)
        if overlapping_session(hall.id, starts_at, ends_at) is None:
            break
    held = offset < 0
    session = RoadshowSession(title=title, title_en=title_en, series_id=series.id, venue_id=hall.id,
                              starts_at=starts_at, ends_at=ends_at, capacity=0, seats_taken=0,
                              startup_capacity=series.startup_capacity, startup_seats_taken=0, public_capacity=0,
                              public_seats_taken=0,
                              status=SessionStatus.ENDED if held else SessionStatus.OPEN,
                              description=series.description, host=_account("host1"))
    db.session.add(session)
    db.session.flush()
    db.session.add(VenueRequest(session_id=session.id, organiser_id=organiser.id, status=DecisionStatus.APPROVED,
                                decided_by_id=_account("admin").id, decided_at=starts_at - timedelta(days=10)))
    return session


def _materials(session: RoadshowSession, index: int, lesson) -> None:
    title, _title_en, _offset, pages = lesson
    if pages:
        pdf = build_pdf(pages, footer="East Lake Zone Capital Market Training")
        stored = f"demo-training-{session.id}.pdf"
        write_file(materials.material_dir() / stored, pdf)
        db.session.add(TrainingMaterial(session_id=session.id, title=f"讲义：{pages[0].heading}", file_name=stored,
                                        original_name=f"{pages[0].heading}.pdf", file_type="pdf", size=len(pdf)))
    if index in LINKS:
        name, url = LINKS[index]
        db.session.add(TrainingMaterial(session_id=session.id, title=name, url=url, is_public=True))


def _attend(session: RoadshowSession, user: User, staff: User, *, came: bool) -> None:
    booking = Booking(session_id=session.id, user_id=user.id, attendee_type=AttendeeType.STARTUP)  # founders' seats
    db.session.add(booking)
    session.startup_seats_taken += 1
    db.session.flush()
    if came:
        db.session.add(Attendance(booking_id=booking.id, session_id=session.id, checked_in_by_id=staff.id,
                                  checked_in_at=session.starts_at - timedelta(minutes=10)))
