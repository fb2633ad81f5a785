"""Meetings and the deal pipeline: demo data.

Startups offer meeting slots on the next working days; investors' requests are in every state
(waiting, accepted, held, declined, cancelled) and the held ones have moved their deals along the
pipeline, one of them to a signed deal. Rows are written directly with times relative to `today`
(the services refuse past times, and the demo also runs with a pinned date); looked up first, so a
second run adds nothing. The match scores are refreshed at the end to take the new interest in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.timeutil import local_to_utc
from roadshow.deals.models import PIPELINE, Deal, DealEvent, DealStage
from . import data
from roadshow.extensions import db
from roadshow.matching.services import refresh_stale
from roadshow.projects.models import Company, Project
from roadshow.scheduling.workdays import working_days
from roadshow.meetings.models import AvailabilitySlot, MeetingRequest, MeetingSource, MeetingStatus

WAN = 10_000
SLOT_TIMES = (time(10, 0), time(15, 0))
SLOT_DAYS = 5  # working days ahead with slots
HALL = "光谷科创路演中心 洽谈室"
SLOT_COMPANIES = ("c01", "c02", "c03", "c06", "c12", "c19", "c27")


@dataclass(frozen=True)
class MeetingSpec:
    investor: str  # demo account local part
    project: str   # project key
    status: MeetingStatus
    days: int      # meeting day relative to today (working days ahead when positive)
    message: str
    note: str = ""  # decline or cancel reason
    deal: DealStage | None = None  # where the held meeting's deal stands now
    amount_wan: int | None = None
    source: MeetingSource = MeetingSource.PAGE


MEETINGS = (
    MeetingSpec("investor01", "p01", MeetingStatus.REQUESTED, 0,
                "希望了解800G模块在头部云厂商的验证进展与明年产能规划。", source=MeetingSource.MATCH),
    MeetingSpec("investor03", "p01", MeetingStatus.ACCEPTED, 2, "我们关注光模块赛道已久，想约一次线下交流。"),
    MeetingSpec("investor02", "p05", MeetingStatus.ACCEPTED, 3, "对管网安全监测的政府客户结构比较感兴趣。",
                source=MeetingSource.MATCH),
    MeetingSpec("investor01", "p03", MeetingStatus.HELD, -12, "路演中提到的TGV设备订单情况想进一步了解。",
                deal=DealStage.DUE_DILIGENCE, source=MeetingSource.LIVE),
    MeetingSpec("investor11", "p17", MeetingStatus.HELD, -30, "我们是面板产业资本，希望探讨产业协同。",
                deal=DealStage.TERM_SHEET),
    MeetingSpec("investor19", "p29", MeetingStatus.HELD, -45, "关注ADC平台的临床数据与后续管线。",
                deal=DealStage.SIGNED, amount_wan=8000),
    MeetingSpec("investor14", "p39", MeetingStatus.HELD, -20, "引导基金关注新材料产业化项目。",
                note="估值预期差距较大，暂不推进。", deal=DealStage.DROPPED),
    MeetingSpec("investor13", "p25", MeetingStatus.DECLINED, 0, "想了解港口无人集卡的运营数据。",
                note="本轮已确定领投方，感谢关注，后续轮次再联系。"),
    MeetingSpec("investor18", "p09", MeetingStatus.CANCELLED, 4, "对量检测设备国产化很感兴趣。",
                note="行程调整，改期再约。"),
    MeetingSpec("investor17", "p36", MeetingStatus.REQUESTED, 0, "低空物流是我们今年的重点方向，盼复。",
                source=MeetingSource.MATCH),
)


def _by_email(local_part: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == f"{local_part}@{data.EMAIL_DOMAIN}"))


def _project(key: str) -> Project | None:
    title = next(p.title for p in data.PROJECTS if p.key == key)
    return db.session.scalar(sa.select(Project).where(Project.title == title))


def _company_id(key: str) -> int | None:
    name = next(c.name for c in data.COMPANIES if c.key == key)
    return db.session.scalar(sa.select(Company.id).where(Company.name == name))


def _slot(company_id: int, starts: datetime) -> AvailabilitySlot:
    slot = db.session.scalar(sa.select(AvailabilitySlot).where(
        AvailabilitySlot.company_id == company_id, AvailabilitySlot.starts_at == starts))
    if slot is None:
        slot = AvailabilitySlot(company_id=company_id, starts_at=starts, ends_at=starts + timedelta(hours=1),
                                location=HALL, created_at=starts - timedelta(days=7))
        db.session.add(slot)
        db.session.flush()
    return slot


def _meeting_day(today: date, days: int) -> date:
    if days > 0:
        return working_days(today + timedelta(days=1), today + timedelta(days=days * 2 + 7))[days - 1]
    return today + timedelta(days=days)


def seed_slots(today: date) -> None:
    days = working_days(today + timedelta(days=1), today + timedelta(days=SLOT_DAYS * 2 + 7))[:SLOT_DAYS]
    for key in SLOT_COMPANIES:
        company_id = _company_id(key)
        if company_id is None:
            continue
        for day in days:
            for clock in SLOT_TIMES:
                _slot(company_id, local_to_utc(datetime.combine(day, clock)))


def _seed_meeting(spec: MeetingSpec, today: date) -> None:
    investor, project = _by_email(spec.investor), _project(spec.project)
    if investor is None or project is None:
        return
    if db.session.scalar(sa.select(MeetingRequest.id).where(MeetingRequest.investor_id == investor.id,
                                                            MeetingRequest.project_id == project.id)):
        return
    starts = local_to_utc(datetime.combine(_meeting_day(today, spec.days), SLOT_TIMES[0]))
    asked = min(starts, local_to_utc(datetime.combine(today, time(9)))) - timedelta(days=3)
    meeting = MeetingRequest(
        investor_id=investor.id, project_id=project.id, institution_id=investor.institution_id,
        message=spec.message, source=spec.source, status=spec.status, created_at=asked, updated_at=asked,
    )
    if spec.status in (MeetingStatus.ACCEPTED, MeetingStatus.HELD, MeetingStatus.CANCELLED):
        slot = _slot(project.company_id, starts)
        meeting.starts_at, meeting.ends_at, meeting.location = slot.starts_at, slot.ends_at, slot.location
        meeting.responded_at = asked + timedelta(days=1)
        if spec.status != MeetingStatus.CANCELLED:
            meeting.availability_slot_id = slot.id
        else:
            meeting.cancelled_by_id, meeting.sequence = investor.id, 1
    if spec.status in (MeetingStatus.DECLINED, MeetingStatus.CANCELLED):
        meeting.response_note = spec.note
        meeting.responded_at = asked + timedelta(days=1)
    db.session.add(meeting)
    if investor.institution_id is not None:
        _seed_deal(spec, investor, project, asked, starts)


def _seed_deal(spec: MeetingSpec, investor: User, project: Project, asked: datetime, met: datetime) -> None:
    if db.session.scalar(sa.select(Deal.id).where(Deal.institution_id == investor.institution_id,
                                                  Deal.project_id == project.id)):
        return
    target = spec.deal or DealStage.INTEREST
    path = list(PIPELINE[:PIPELINE.index(target) + 1]) if target in PIPELINE else [*PIPELINE[:3], target]
    deal = Deal(institution_id=investor.institution_id, project_id=project.id, stage=target,
                created_at=asked, stage_changed_at=asked)
    when, previous = asked, None
    for stage in path:
        if stage == DealStage.MEETING_HELD:
            when = met + timedelta(hours=2)
        elif previous is not None:
            when += timedelta(days=4)
        deal.events.append(DealEvent(from_stage=previous, to_stage=stage, by_id=investor.id, created_at=when,
                                     note=spec.note if stage == DealStage.DROPPED else ""))
        previous = stage
    deal.stage_changed_at = deal.updated_at = when
    if target == DealStage.SIGNED:
        deal.amount, deal.signed_on = spec.amount_wan * WAN, when.date()
    if target == DealStage.DROPPED:
        deal.drop_reason = spec.note
    db.session.add(deal)


def seed_demo(today: date) -> None:
    """Adds this domain's demo rows; idempotent like the rest of the demo data set."""
    seed_slots(today)
    for spec in MEETINGS:
        _seed_meeting(spec, today)
    db.session.flush()
    refresh_stale()  # meeting requests feed the behaviour signal
