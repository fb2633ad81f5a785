"""Two partner organisers with their own series: demo data.

东湖高新区科技创新局 (a district) runs an SRDI series in the center's 长江路演厅, its venue request
approved; 华中科技大学技术转移中心 (a university) runs a series of research-to-market roadshows in its
own hall on campus, with a weekly template from three weeks on. Each has an organiser account
(organiser1, organiser2), one upcoming session and a demo reviewer in its own pool. Rows are looked
up by name first, so a second run adds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.accounts.passwords import hash_password
from roadshow.common.timeutil import local_to_utc
from roadshow.extensions import db
from roadshow.organisers.models import (
    DecisionStatus, Organiser, OrganiserKind, OrganiserMember, OrganiserReviewer, VenueRequest,
)
from roadshow.roadshows.models import RoadshowSession, Series, SeriesKind, SessionStatus, Venue
from roadshow.roadshows.services import overlapping_session
from roadshow.scheduling.models import HolidayPolicy, RuleKind, SessionTemplate
from roadshow.scheduling.workdays import working_days
from . import data
from .seed import DEMO_PASSWORD


@dataclass(frozen=True)
class OrganiserSpec:
    account: str  # demo account local part
    person: str
    name: str
    name_en: str
    kind: OrganiserKind
    intro: str
    series_slug: str
    series_name: str
    series_name_en: str
    series_kind: SeriesKind
    session_title: str
    session_title_en: str
    own_venue: str | None  # None: the center's main hall, on an approved venue request
    days_ahead: int
    host: str  # the center's host lent to the session (demo account local part)
    reviewer: str  # the demo reviewer in the organiser's own pool (account local part)
    template_weekday: int | None  # its weekly template's day (0 = Monday), None: no template


ORGANISERS = (
    OrganiserSpec(
        "organiser1", "周敏", "东湖高新区科技创新局", "East Lake High-Tech Zone Science and Technology Bureau",
        OrganiserKind.DISTRICT, "负责区内科技型企业培育与科技成果转化，按季度举办专精特新企业路演。",
        "ehtz-srdi", "东湖高新区专精特新企业路演", "East Lake Zone Specialised SMEs Roadshow", SeriesKind.SRDI,
        "东湖高新区专精特新企业路演 · 第一期", "East Lake Zone Specialised SMEs Roadshow · No. 1", None, 8, "host1",
        "reviewer3", None,
    ),
    OrganiserSpec(
        "organiser2", "吴涛", "华中科技大学技术转移中心", "HUST Technology Transfer Center",
        OrganiserKind.UNIVERSITY, "推动学校科研成果转化，组织教师和校友项目面向投资机构路演。",
        "hust-ttc", "华中大科技成果转化路演", "HUST Research-to-Market Roadshow", SeriesKind.ALUMNI,
        "华中大科技成果转化路演 · 光电与智能制造", "HUST Research-to-Market · Photonics and Smart Manufacturing",
        "华中科技大学 科技成果转化报告厅", 10, "host2", "reviewer1", 3,
    ),
)
MORNING = (time(9, 30), time(11, 30))


def seed_demo(today: date) -> None:
    admin = db.session.scalars(sa.select(User).where(User.email == f"admin@{data.EMAIL_DOMAIN}")).one()
    for spec in ORGANISERS:
        organiser = _organiser(spec, admin)
        series = _series(spec, organiser)
        _session(spec, organiser, series, today, admin)
        _reviewer_pool(spec, organiser)
        _template(spec, organiser, series, today)
    db.session.flush()


def _organiser(spec: OrganiserSpec, admin: User) -> Organiser:
    organiser = db.session.scalars(sa.select(Organiser).where(Organiser.name == spec.name)).first()
    if organiser is not None:
        return organiser
    email = f"{spec.account}@{data.EMAIL_DOMAIN}"
    user = db.session.scalars(sa.select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=spec.person, password_hash=hash_password(DEMO_PASSWORD))
        user.grant(Role.ORGANISER)
        db.session.add(user)
        db.session.flush()
    organiser = Organiser(name=spec.name, name_en=spec.name_en, kind=spec.kind, contact_name=spec.person,
                          contact_email=email, intro=spec.intro, status=DecisionStatus.APPROVED,
                          applied_by_id=user.id, decided_by_id=admin.id, decided_at=datetime(2026, 1, 5, 2))
    db.session.add(organiser)
    db.session.flush()
    db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=user.id))
    return organiser


def _series(spec: OrganiserSpec, organiser: Organiser) -> Series:
    series = db.session.scalars(sa.select(Series).where(Series.slug == spec.series_slug)).first()
    if series is None:
        series = Series(slug=spec.series_slug, name=spec.series_name, name_en=spec.series_name_en,
                        kind=spec.series_kind, organiser_id=organiser.id, description=spec.intro)
        db.session.add(series)
        db.session.flush()
    return series


def _venue(spec: OrganiserSpec, organiser: Organiser) -> Venue:
    name = spec.own_venue or data.HALL
    venue = db.session.scalars(sa.select(Venue).where(Venue.name == name)).first()
    if venue is None:
        venue = Venue(name=name, address="武汉市洪山区珞喻路1037号", capacity=200, organiser_id=organiser.id,
                      name_en="HUST Research-to-Market Lecture Hall")
        db.session.add(venue)
        db.session.flush()
    return venue


def _host(account: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == f"{account}@{data.EMAIL_DOMAIN}")).one()


def _session(spec: OrganiserSpec, organiser: Organiser, series: Series, today: date, admin: User) -> None:
    if db.session.scalar(sa.select(RoadshowSession.id).where(RoadshowSession.series_id == series.id)) is not None:
        return
    venue = _venue(spec, organiser)
    for day in working_days(today + timedelta(days=spec.days_ahead), today + timedelta(days=spec.days_ahead + 14)):
        starts_at, ends_at = (local_to_utc(datetime.combine(day, clock)) for clock in MORNING)
        if overlapping_session(venue.id, starts_at, ends_at) is None:
            break
    session = RoadshowSession(title=spec.session_title, title_en=spec.session_title_en, series_id=series.id,
                              venue_id=venue.id, starts_at=starts_at, ends_at=ends_at, capacity=80, seats_taken=0,
                              status=SessionStatus.OPEN, description=spec.intro, host=_host(spec.host))
    db.session.add(session)
    db.session.flush()
    if venue.is_center_hall:
        db.session.add(VenueRequest(session_id=session.id, organiser_id=organiser.id, status=DecisionStatus.APPROVED,
                                    decided_by_id=admin.id, decided_at=datetime(2026, 1, 6, 2)))


def _reviewer_pool(spec: OrganiserSpec, organiser: Organiser) -> None:
    reviewer = _host(spec.reviewer)
    if db.session.get(OrganiserReviewer, (organiser.id, reviewer.id)) is None:
        db.session.add(OrganiserReviewer(organiser_id=organiser.id, user_id=reviewer.id))


def _template(spec: OrganiserSpec, organiser: Organiser, series: Series, today: date) -> None:
    """A weekly afternoon of the series at the organiser's own venue, for the nightly fill to generate."""
    name = f"{spec.series_name}（每周）"
    if spec.template_weekday is None or db.session.scalar(sa.select(SessionTemplate.id).where(SessionTemplate.name == name)):
        return
    db.session.add(SessionTemplate(
        name=name, series_id=series.id, venue_id=_venue(spec, organiser).id, host_id=_host(spec.host).id,
        title_pattern="{series} · {date}", title_pattern_en="{series} · {date}", rule=RuleKind.WEEKLY,
        weekdays=[spec.template_weekday], on_holiday=HolidayPolicy.SKIP, start_time=time(14), end_time=time(16),
        capacity=80, slots_count=5, pitch_minutes=10, qa_minutes=10, valid_from=today + timedelta(days=21),
        description=""))
