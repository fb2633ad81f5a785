"""The every-day calendar: demo templates (the daily roadshow and the monthly 一月一链 special), then a horizon fill.

The core seed creates the next two weeks' sessions itself, at exactly the templates' venues and
times (its chain special falls on the template's next date, next_chain_special_day), so the fill
adopts them instead of adding duplicates, and only adds what the seed did not make.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.choices import IndustryChain as C
from roadshow.common.timeutil import local_to_utc
from . import data
from roadshow.extensions import db
from roadshow.roadshows.models import Series, Venue
from roadshow.scheduling.horizon import fill_horizon
from roadshow.scheduling.models import HolidayPolicy, RuleKind, SessionTemplate
from roadshow.scheduling.rules import occurrences

DAILY_NAME = "每日路演（长江路演厅）"
CHAIN_NAME = "一月一链产业链专场（每月第一个周四）"
DAILY_ROTATION = [C.OPTOELECTRONICS, C.INTEGRATED_CIRCUITS, C.SMART_TERMINALS, C.AUTOMOTIVE_NEV, C.AI]
CHAIN_ROTATION = [C.OPTOELECTRONICS, C.INTEGRATED_CIRCUITS, C.DISPLAYS, C.SMART_TERMINALS, C.NETWORKS_5G,
                  C.AUTOMOTIVE_NEV, C.LIFE_HEALTH, C.AI, C.LOW_ALTITUDE, C.NEW_MATERIALS]
SPECIAL_LEAD_DAYS = 3  # the seed's chain special is at least this far ahead, so investors can still book


def chain_rule(valid_from: date) -> SessionTemplate:
    """The monthly special's rule, unsaved: also used by the core seed to date its chain special."""
    return SessionTemplate(
        name=CHAIN_NAME, rule=RuleKind.MONTHLY_NTH, month_week=1, month_weekday=3,
        on_holiday=HolidayPolicy.NEXT_WORKING_DAY, start_time=time(9, 30), end_time=time(11, 30),
        valid_from=valid_from, valid_until=None, weekdays=[],
    )


def next_chain_special_day(today: date) -> date:
    first = today + timedelta(days=SPECIAL_LEAD_DAYS)
    return occurrences(chain_rule(first), first, first + timedelta(days=70))[0]


def _ensure(name: str, build) -> SessionTemplate:
    template = db.session.scalars(sa.select(SessionTemplate).where(SessionTemplate.name == name)).first()
    if template is None:
        template = build()
        db.session.add(template)
    return template


def seed_demo(today: date) -> None:
    def by(model, **key):
        return db.session.scalars(sa.select(model).filter_by(**key)).first()

    host = by(User, email=f"host1@{data.EMAIL_DOMAIN}")
    _ensure(DAILY_NAME, lambda: SessionTemplate(
        name=DAILY_NAME, series=by(Series, slug="daily"), venue=by(Venue, name=data.HALL), host=host,
        title_pattern="每日路演 · {chain}专场", title_pattern_en="Daily Roadshow · {chain}", rule=RuleKind.WORKING_DAYS, weekdays=[],
        on_holiday=HolidayPolicy.SKIP, start_time=time(14, 0), end_time=time(16, 0), capacity=100,
        slots_count=5, pitch_minutes=10, qa_minutes=10, chain_rotation=[c.value for c in DAILY_ROTATION],
        # From the Monday of this week, so the rotation starts in step with the weekday themes.
        valid_from=today - timedelta(days=today.weekday()),
        description="每个项目路演10分钟、问答10分钟，会后可在路演厅洽谈区与企业一对一交流。",
        description_en="Each project pitches for 10 minutes with 10 minutes of questions; one-to-one talks in the hall's meeting area afterwards.",
    ))

    def build_chain() -> SessionTemplate:
        template = chain_rule(next_chain_special_day(today).replace(day=1))
        template.series, template.venue, template.host = by(Series, slug="chain-monthly"), by(Venue, name=data.ONLINE), host
        template.title_pattern = "一月一链 · {chain}产业链投融资专场"
        template.title_pattern_en = "Chain of the Month · {chain} Investment Special"
        template.description_en = "Each month one key industry chain: industrial capital, venture investors and tech banks meet online."
        template.capacity, template.slots_count, template.pitch_minutes, template.qa_minutes = 120, 5, 10, 10
        template.chain_rotation = [c.value for c in CHAIN_ROTATION]
        template.description = "每月聚焦一条重点产业链，邀请产业资本、创投机构与科技支行线上对接。"
        return template

    _ensure(CHAIN_NAME, build_chain)
    db.session.flush()
    fill_horizon(now=local_to_utc(datetime.combine(today, time.min)), days=14)
