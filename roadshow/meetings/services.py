"""Meeting rules: either side asks (an investor a project, a startup an institution), the side asked
accepts with a slot, declines or (an investor) proposes another time; the side that asked withdraws;
either side cancels an accepted meeting. Startups offer slots; a slot is taken by one request at most.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import local_to_utc, to_local, utcnow
from ..deals.services import ensure_deal, record_meeting_held
from ..extensions import db
from ..i18n import stored_language
from ..investors.models import Institution
from ..notifications.services import notify
from ..projects.models import Company, Project
from ..roadshows.models import Venue
from .models import (
    AWAITING_STATUSES, OPEN_STATUSES, AvailabilitySlot, MeetingMode, MeetingMute, MeetingRequest, MeetingSide,
    MeetingSource, MeetingStatus,
)
from .policies import can_manage_availability, is_startup_member, side_of

MAX_MESSAGE = 1000
MAX_LINK = 300


# ----------------------------------------------------------------------------- where a meeting takes place

@dataclass(frozen=True)
class Place:
    """A venue room of the center, or an online meeting by an https link; `note` is free text for either."""
    mode: MeetingMode | None = None
    venue_id: int | None = None
    link: str | None = None
    note: str = ""

    def values(self) -> dict:
        return {"mode": self.mode, "venue_id": self.venue_id, "meeting_link": self.link,
                "location": self.note}


def check_place(mode: MeetingMode | str | None, venue_id: int | None = None, link: str | None = None,
                note: str = "") -> Place:
    """A validated place: an online meeting needs an https address, a venue meeting one of the center's rooms."""
    note = (note or "").strip()
    if len(note) > 120:
        raise FieldRuleViolation("location", _("地点说明不能超过 120 个字。"))
    if not mode:
        return Place(note=note)
    mode = MeetingMode(mode)
    if mode is MeetingMode.ONLINE:
        link = (link or "").strip()
        parts = urlsplit(link)
        if not link:
            raise FieldRuleViolation("meeting_link", _("线上会议请填写会议链接。"))
        if (len(link) > MAX_LINK or parts.scheme != "https" or not parts.hostname
                or any(ch.isspace() for ch in link)):
            raise FieldRuleViolation("meeting_link", _("会议链接应是以 https:// 开头的完整网址（最多 %(n)d 个字符）。",
                                                       n=MAX_LINK))
        return Place(mode, None, link, note)
    venue = db.session.get(Venue, venue_id) if venue_id else None
    if venue is None or venue.is_online:
        raise FieldRuleViolation("venue_id", _("请选择一个线下会议室。"))
    return Place(mode, venue.id, None, note)


def meeting_rooms() -> list[Venue]:
    """The center's rooms a meeting can be held in."""
    return list(db.session.scalars(sa.select(Venue).where(Venue.is_online.is_(False)).order_by(Venue.name)))


def open_request(investor_id: int, project_id: int) -> MeetingRequest | None:
    return db.session.scalar(
        sa.select(MeetingRequest).where(
            MeetingRequest.investor_id == investor_id,
            MeetingRequest.project_id == project_id,
            MeetingRequest.status.in_(OPEN_STATUSES),
        )
    )


def _startup_members(project: Project) -> list[User]:
    return [member for member in project.company.members if not member.is_disabled]


def side_members(meeting: MeetingRequest, side: MeetingSide) -> list[User]:
    """Who speaks for one side: the startup's members; the investor, or for a startup's unanswered
    request every member of the institution asked."""
    if side is MeetingSide.STARTUP:
        return _startup_members(meeting.project)
    if meeting.investor is not None:
        return [meeting.investor]
    return [m for m in meeting.institution.members if not m.is_disabled and m.has_role(Role.INVESTOR)]


def _clean_message(message: str, field: str = "message") -> str:
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise FieldRuleViolation(field, _("留言不能超过 %(n)d 个字。", n=MAX_MESSAGE))
    return message


def _slot_for(company_id: int, slot_id: int) -> AvailabilitySlot:
    """One of the company's future slots (free or not: the unique slot column settles who gets it)."""
    slot = db.session.get(AvailabilitySlot, slot_id)
    if slot is None or slot.company_id != company_id:
        raise FieldRuleViolation("slot_id", _("请选择项目方已发布的可约时段。"))
    if slot.starts_at <= utcnow():
        raise FieldRuleViolation("slot_id", _("该时段已经过去，请选择其他时段。"))
    return slot


def _slot_taken() -> FieldRuleViolation:
    return FieldRuleViolation("slot_id", _("该时段刚刚被其他约见占用，请选择其他时段。"))


def _slot_values(slot: AvailabilitySlot) -> dict:
    return {"availability_slot_id": slot.id, "starts_at": slot.starts_at, "ends_at": slot.ends_at,
            **slot.place_values()}


def request_meeting(
    investor: User,
    project: Project,
    message: str = "",
    source: str = "page",
    session_id: int | None = None,
    slot_id: int | None = None,
) -> MeetingRequest:
    """An investor asks to meet a project's team, optionally in one of its published slots (which the
    request then holds). Idempotent: an open request for the pair is returned as is."""
    if not investor.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以发起约见。"))
    if not project.is_public:
        raise RuleViolation(_("该项目尚未公开，暂不能约见。"))
    if investor.company_id is not None and investor.company_id == project.company_id:
        raise RuleViolation(_("不能约见自己企业的项目。"))
    message = _clean_message(message)
    existing = open_request(investor.id, project.id)
    if existing is not None:
        return existing
    slot = _slot_for(project.company_id, slot_id) if slot_id else None
    meeting = MeetingRequest(
        investor_id=investor.id, project_id=project.id, institution_id=investor.institution_id,
        session_id=session_id, source=MeetingSource(source), message=message,
        **(_slot_values(slot) if slot else {}),
    )
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
    except IntegrityError:  # a concurrent request for the same pair won (use it), or for the same slot
        existing = open_request(investor.id, project.id)
        if existing is None:
            raise _slot_taken() from None
        return existing
    if investor.institution_id is not None:
        ensure_deal(investor.institution_id, project.id, by=investor)
    who = investor.institution.name if investor.institution else investor.name
    _tell_side(meeting, MeetingSide.STARTUP, "meeting_requested", lambda: (
        _("%(who)s 希望约见「%(project)s」", who=who, project=project.title),
        meeting.message or (_("对方选择了贵司的时段 %(when)s，请确认或婉拒。", when=_when(meeting)) if slot
                            else _("请在“我的约见”中选择一个可约时段接受，或婉拒。"))))
    return meeting


def open_startup_request(company_id: int, institution_id: int) -> MeetingRequest | None:
    return db.session.scalar(sa.select(MeetingRequest).where(
        MeetingRequest.initiator == MeetingSide.STARTUP, MeetingRequest.company_id == company_id,
        MeetingRequest.institution_id == institution_id, MeetingRequest.status.in_(OPEN_STATUSES)))


def _open_between(institution_id: int, project_id: int) -> MeetingRequest | None:
    """An open request, either way, between an institution and a project."""
    return db.session.scalar(sa.select(MeetingRequest).where(
        MeetingRequest.institution_id == institution_id, MeetingRequest.project_id == project_id,
        MeetingRequest.status.in_(OPEN_STATUSES)).limit(1))


def is_muted(institution_id: int, company_id: int) -> bool:
    return db.session.scalar(sa.select(MeetingMute.id).where(
        MeetingMute.institution_id == institution_id, MeetingMute.company_id == company_id)) is not None


def asks_today(company_id: int) -> int:
    """Requests the company sent to institutions since midnight, Beijing time."""
    midnight = local_to_utc(datetime.combine(to_local(utcnow()).date(), time()))
    return db.session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest).where(
        MeetingRequest.initiator == MeetingSide.STARTUP, MeetingRequest.company_id == company_id,
        MeetingRequest.created_at >= midnight)) or 0


def ask_institution(
    user: User,
    institution: Institution,
    project: Project,
    message: str,
    source: str = "page",
    session_id: int | None = None,
) -> MeetingRequest:
    """A startup asks a verified institution to meet about one of its public projects.

    Civil limits: one open request per institution, MEETING_ASKS_PER_DAY a day, none to an institution
    that muted the startup. The company row is locked for the count, so parallel asks cannot pass the
    cap together (PostgreSQL; SQLite runs one writer at a time)."""
    if not user.has_role(Role.STARTUP) or user.company_id is None:
        raise PermissionDenied(_("只有项目方可以向投资机构发起约见。"))
    if not is_startup_member(user, project):
        raise FieldRuleViolation("project_id", _("请选择贵司的项目。"))
    if not project.is_public:
        raise FieldRuleViolation("project_id", _("项目通过评审公开后才能发起约见。"))
    if not institution.is_verified:
        raise RuleViolation(_("只能向已认证的投资机构发起约见。"))
    message = _clean_message(message)
    if not message:
        raise FieldRuleViolation("message", _("请写几句话介绍贵司和约见目的。"))
    db.session.execute(sa.select(Company.id).where(Company.id == user.company_id).with_for_update())
    if is_muted(institution.id, user.company_id):
        raise RuleViolation(_("该机构目前不接收贵司的约见请求。"))
    if open_startup_request(user.company_id, institution.id) is not None:
        raise RuleViolation(_("贵司已向该机构发起约见，请等待对方回复后再发起新的请求。"))
    if _open_between(institution.id, project.id) is not None:
        raise RuleViolation(_("该机构与这个项目已有进行中的约见，请在“我的约见”中继续。"))
    cap = current_app.config["MEETING_ASKS_PER_DAY"]
    if asks_today(user.company_id) >= cap:
        raise RuleViolation(_("贵司今天已发起 %(n)d 个约见请求，已达每日上限，请明天再试。", n=cap))
    meeting = MeetingRequest(
        initiator=MeetingSide.STARTUP, company_id=user.company_id, requested_by_id=user.id,
        institution_id=institution.id, project_id=project.id, session_id=session_id,
        source=MeetingSource(source), message=message,
    )
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
    except IntegrityError:  # a colleague's request to the same institution won at the same moment
        raise RuleViolation(_("贵司已向该机构发起约见，请等待对方回复后再发起新的请求。")) from None
    ensure_deal(institution.id, project.id, by=user)
    _tell_side(meeting, MeetingSide.INVESTOR, "meeting_requested", lambda: (
        _("%(company)s 希望与贵机构约见（%(project)s）", company=project.company.name, project=project.title),
        message))
    return meeting


def mute(user: User, meeting: MeetingRequest) -> MeetingMute:
    """An institution member stops taking requests from the startup behind this request (idempotent)."""
    if user.institution_id is None or side_of(user, meeting) is not MeetingSide.INVESTOR:
        raise PermissionDenied(_("只有投资机构成员可以屏蔽企业。"))
    company_id = meeting.project.company_id
    query = sa.select(MeetingMute).where(MeetingMute.institution_id == user.institution_id,
                                         MeetingMute.company_id == company_id)
    existing = db.session.scalar(query)
    if existing is not None:
        return existing
    row = MeetingMute(institution_id=user.institution_id, company_id=company_id, muted_by_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return db.session.scalar(query)
    return row


def unmute(user: User, row: MeetingMute) -> None:
    if user.institution_id != row.institution_id:
        raise PermissionDenied(_("只有投资机构成员可以取消屏蔽。"))
    db.session.delete(row)
    db.session.flush()


def mutes_of(institution_id: int) -> list[MeetingMute]:
    return list(db.session.scalars(sa.select(MeetingMute).where(MeetingMute.institution_id == institution_id)
                                   .order_by(MeetingMute.created_at.desc())))


def _when(meeting: MeetingRequest) -> str:
    return f"{to_local(meeting.starts_at):%Y-%m-%d %H:%M}" if meeting.starts_at else ""


# ----------------------------------------------------------------------------- availability

MIN_SLOT_MINUTES, MAX_SLOT_MINUTES = 15, 240


def add_slot(user: User, starts_at: datetime, minutes: int, location: str = "",
             place: Place | None = None) -> AvailabilitySlot:
    """The user's company offers a time for meetings (naive UTC); slots of one company never overlap."""
    if user.company_id is None:
        raise PermissionDenied(_("请先完善企业信息，再发布可约时段。"))
    return _new_slot(user.company_id, starts_at, minutes, place or Place(note=(location or "").strip()[:120]))


def _new_slot(company_id: int, starts_at: datetime, minutes: int, place: Place) -> AvailabilitySlot:
    if starts_at <= utcnow():
        raise FieldRuleViolation("starts_at", _("不能发布已经过去的时间。"))
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        raise FieldRuleViolation("minutes", _("时长应在 %(a)d–%(b)d 分钟之间。", a=MIN_SLOT_MINUTES, b=MAX_SLOT_MINUTES))
    ends_at = starts_at + timedelta(minutes=minutes)
    overlapping = db.session.scalar(
        sa.select(AvailabilitySlot.id).where(
            AvailabilitySlot.company_id == company_id,
            AvailabilitySlot.starts_at < ends_at, AvailabilitySlot.ends_at > starts_at,
        ).limit(1)
    )
    if overlapping is not None:
        raise FieldRuleViolation("starts_at", _("与已发布的时段重叠。"))
    slot = AvailabilitySlot(company_id=company_id, starts_at=starts_at, ends_at=ends_at, **place.values())
    try:
        with db.session.begin_nested():
            db.session.add(slot)
    except IntegrityError:
        raise FieldRuleViolation("starts_at", _("与已发布的时段重叠。")) from None
    return slot


def remove_slot(user: User, slot: AvailabilitySlot) -> None:
    if not can_manage_availability(user, slot):
        raise PermissionDenied(_("只能删除本企业的时段。"))
    if slot.is_taken:
        raise RuleViolation(_("该时段已被约见请求选中，请先处理该约见。"))
    db.session.delete(slot)
    db.session.flush()


def free_slots(company_id: int) -> list[AvailabilitySlot]:
    """Future slots no request or meeting has taken, soonest first."""
    return list(db.session.scalars(
        sa.select(AvailabilitySlot)
        .outerjoin(MeetingRequest, MeetingRequest.availability_slot_id == AvailabilitySlot.id)
        .where(AvailabilitySlot.company_id == company_id, AvailabilitySlot.starts_at > utcnow(),
               MeetingRequest.id.is_(None))
        .order_by(AvailabilitySlot.starts_at)
    ))


def company_slots(company_id: int) -> list[AvailabilitySlot]:
    """Every future slot of a company, free or taken."""
    return list(db.session.scalars(
        sa.select(AvailabilitySlot)
        .where(AvailabilitySlot.company_id == company_id, AvailabilitySlot.ends_at > utcnow())
        .order_by(AvailabilitySlot.starts_at)
    ))


# ----------------------------------------------------------------------------- responding

def _set_status(meeting: MeetingRequest, expected: tuple[MeetingStatus, ...], message: str, **values) -> None:
    """Conditional UPDATE: only from an expected status, so double clicks and races change nothing twice."""
    changed = db.session.execute(
        sa.update(MeetingRequest)
        .where(MeetingRequest.id == meeting.id, MeetingRequest.status.in_(expected))
        .values(sequence=MeetingRequest.sequence + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise RuleViolation(message)
    db.session.refresh(meeting)


def _answering_side(user: User, meeting: MeetingRequest) -> MeetingSide:
    """The user's side, when it is the side that must answer this request now."""
    side = side_of(user, meeting)
    if side is None:
        raise PermissionDenied(_("只有约见双方可以回复约见。"))
    if not meeting.status.is_awaiting_answer:
        raise RuleViolation(_("该约见已经处理过了。"))
    if meeting.awaiting is not side:
        raise RuleViolation(_("正在等待对方回复；如不再需要，可以撤回请求。"))
    return side


def _check_answerable_by(user: User, meeting: MeetingRequest) -> None:
    """An institution member answering a startup's request becomes its investor: one open request per
    investor and project (a unique index), so one already open for the project is where to go on."""
    if meeting.investor_id is None and open_request(user.id, meeting.project_id) is not None:
        raise RuleViolation(_("您与这个项目已有进行中的约见，请在那个约见中继续。"))


@dataclass(frozen=True)
class NewSlot:
    """A slot the startup adds right in the accept form (Beijing time as entered)."""
    starts_at: datetime  # naive UTC
    minutes: int
    place: Place


def accept(user: User, meeting: MeetingRequest, slot_id: int | None = None,
           new_slot: NewSlot | None = None) -> MeetingRequest:
    """The side asked accepts: with one of the startup's free future slots (or the one the request holds),
    or, for the startup, a slot added right here; a startup confirms an investor's proposed time (which
    becomes one of its slots). Two parties taking one slot at once: one wins, the other is told."""
    side = _answering_side(user, meeting)
    _check_answerable_by(user, meeting)
    company_id = meeting.project.company_id
    expected = meeting.status
    # Reads first, then the one conditional write (SQLite: a read inside the write's savepoint would
    # pin an old snapshot and make a concurrent winner's commit a "database is locked" error).
    if meeting.status.is_proposed:
        proposal = Place(meeting.mode, meeting.venue_id, meeting.meeting_link, meeting.location)
        minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
        slot = _new_slot(company_id, meeting.starts_at, minutes, proposal)
    elif new_slot is not None:
        if side is not MeetingSide.STARTUP:
            raise PermissionDenied(_("只有项目方可以新增可约时段。"))
        slot = _new_slot(company_id, new_slot.starts_at, new_slot.minutes, new_slot.place)
    else:
        slot_id = slot_id or meeting.availability_slot_id
        if not slot_id:
            raise FieldRuleViolation("slot_id", _("请选择一个可约时段。"))
        slot = _slot_for(company_id, slot_id)
    try:
        # The unique availability_slot_id makes the database refuse a second request in this slot.
        with db.session.begin_nested():
            _set_status(
                meeting, (expected,), _("该约见已经处理过了。"),
                status=MeetingStatus.ACCEPTED, responded_at=utcnow(), proposed_by=None,
                investor_id=meeting.investor_id or user.id, **_slot_values(slot),
            )
    except IntegrityError:
        raise _slot_taken() from None
    _tell_side(meeting, side.other, "meeting_accepted", lambda: (
        _("约见已确认：%(inst)s × %(project)s", inst=meeting.investor_label, project=meeting.project.title),
        _("时间：%(when)s（北京时间）", when=_when(meeting)) + _place_line(meeting)))
    return meeting


def propose(user: User, meeting: MeetingRequest, starts_at: datetime, minutes: int, place: Place) -> MeetingRequest:
    """The investor side asked by a startup proposes another time; the startup confirms it or declines."""
    side = _answering_side(user, meeting)
    if side is not MeetingSide.INVESTOR or not meeting.status.is_requested:
        raise RuleViolation(_("只有被约见的投资机构可以提议时间。"))
    _check_answerable_by(user, meeting)
    if starts_at <= utcnow():
        raise FieldRuleViolation("starts_at", _("不能提议已经过去的时间。"))
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        raise FieldRuleViolation("minutes", _("时长应在 %(a)d–%(b)d 分钟之间。", a=MIN_SLOT_MINUTES, b=MAX_SLOT_MINUTES))
    _set_status(meeting, (MeetingStatus.REQUESTED,), _("该约见已经处理过了。"),
                status=MeetingStatus.PROPOSED, proposed_by=MeetingSide.INVESTOR, investor_id=user.id,
                availability_slot_id=None, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                responded_at=utcnow(), **place.values())
    _tell_side(meeting, MeetingSide.STARTUP, "meeting_proposed", lambda: (
        _("%(inst)s 提议了约见时间", inst=meeting.investor_label),
        _("时间：%(when)s（北京时间）", when=_when(meeting)) + _place_line(meeting)))
    return meeting


def decline(user: User, meeting: MeetingRequest, reason: str = "") -> MeetingRequest:
    """The side asked says no; a slot the request held is freed."""
    side = _answering_side(user, meeting)
    reason = _clean(reason)
    _set_status(meeting, AWAITING_STATUSES, _("该约见已经处理过了。"),
                status=MeetingStatus.DECLINED, availability_slot_id=None, response_note=reason or None,
                responded_at=utcnow())
    _tell_side(meeting, side.other, "meeting_declined", lambda: (
        _("约见被婉拒：%(inst)s × %(project)s", inst=meeting.investor_label, project=meeting.project.title),
        reason))
    return meeting


def cancel(user: User, meeting: MeetingRequest, reason: str = "") -> MeetingRequest:
    """The side that asked withdraws its request, or either side calls an accepted meeting off; the slot
    is freed and the other side told. (The side asked answers a request with decline instead.)"""
    side = side_of(user, meeting)
    if side is None:
        raise PermissionDenied(_("只有约见双方可以取消约见。"))
    if meeting.status.is_awaiting_answer and meeting.awaiting is side:
        raise RuleViolation(_("对方在等待您的回复：不想见面请选择“婉拒”。"))
    if meeting.status == MeetingStatus.ACCEPTED and meeting.starts_at <= utcnow():
        raise RuleViolation(_("约见已经开始，不能再取消。"))
    reason = _clean(reason)
    _set_status(meeting, OPEN_STATUSES, _("该约见已结束或已取消。"),
                status=MeetingStatus.CANCELLED, availability_slot_id=None, response_note=reason or None,
                cancelled_by_id=user.id)
    _tell_side(meeting, side.other, "meeting_cancelled", lambda: (
        _("约见已取消：%(project)s", project=meeting.project.title), reason or _("对方取消了约见。")))
    return meeting


def mark_held(user: User, meeting: MeetingRequest) -> MeetingRequest:
    """After its start, either side confirms the meeting took place; the deal moves to "meeting held"."""
    if side_of(user, meeting) is None:
        raise PermissionDenied(_("只有约见双方可以确认见面。"))
    if meeting.status == MeetingStatus.ACCEPTED and meeting.starts_at > utcnow():
        raise RuleViolation(_("约见尚未开始，不能确认已见面。"))
    _set_status(meeting, (MeetingStatus.ACCEPTED,), _("只有已确认的约见可以标记为已见面。"),
                status=MeetingStatus.HELD)
    if meeting.institution_id is not None:
        record_meeting_held(meeting.institution_id, meeting.project_id)
    return meeting


def _place_line(meeting: MeetingRequest) -> str:
    parts = []
    if meeting.mode is MeetingMode.ONLINE:
        parts.append(_("线上会议：%(link)s", link=meeting.meeting_link))
    elif meeting.venue is not None:
        parts.append(_("地点：%(venue)s", venue=meeting.venue.name))
    if meeting.location:
        parts.append(meeting.location)
    return "".join(f"\n{p}" for p in parts)


def _clean(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_MESSAGE:
        raise FieldRuleViolation("reason", _("说明不能超过 %(n)d 个字。", n=MAX_MESSAGE))
    return reason


def _tell_side(meeting: MeetingRequest, side: MeetingSide, kind: str,
               message: Callable[[], tuple[str, str]]) -> None:
    """Notify every member of one side; `message()` gives the (title, body), written in each reader's language."""
    for user in side_members(meeting, side):
        with stored_language(user):  # stored and read later: in the reader's language
            title, body = message()
        notify(user, kind, title, body, link=site_path("meetings.detail", meeting_id=meeting.id),
               dedupe_key=f"{kind}:{meeting.id}:{meeting.sequence}:{user.id}")


# ----------------------------------------------------------------------------- lists

def meetings_for(user: User, statuses: tuple[MeetingStatus, ...] | None = None) -> list[MeetingRequest]:
    """Requests the user sent (investor) or received (startup), open ones and upcoming first."""
    mine = [MeetingRequest.investor_id == user.id]
    if user.company_id is not None:
        mine.append(Project.company_id == user.company_id)
    if user.institution_id is not None:  # startups' requests to the user's institution
        mine.append(sa.and_(MeetingRequest.initiator == MeetingSide.STARTUP,
                            MeetingRequest.institution_id == user.institution_id))
    query = sa.select(MeetingRequest).join(MeetingRequest.project).where(sa.or_(*mine))
    if statuses:
        query = query.where(MeetingRequest.status.in_(statuses))
    return list(db.session.scalars(
        query.order_by(MeetingRequest.starts_at.is_(None), MeetingRequest.starts_at, MeetingRequest.created_at.desc())
    ))
