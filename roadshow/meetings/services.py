"""Meeting rules: investors ask, startups offer slots and accept one or decline, either side cancels."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import to_local, utcnow
from ..deals.services import ensure_deal, record_meeting_held
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project
from .models import OPEN_STATUSES, AvailabilitySlot, MeetingRequest, MeetingSource, MeetingStatus
from .policies import can_manage_availability, is_startup_member

MAX_MESSAGE = 1000


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


def request_meeting(
    investor: User,
    project: Project,
    message: str = "",
    source: str = "page",
    session_id: int | None = None,
) -> MeetingRequest:
    """An investor asks to meet a project's team. Idempotent: an open request for the pair is returned as is."""
    if not investor.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以发起约见。"))
    if not project.is_public:
        raise RuleViolation(_("该项目尚未公开，暂不能约见。"))
    if investor.company_id is not None and investor.company_id == project.company_id:
        raise RuleViolation(_("不能约见自己企业的项目。"))
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise RuleViolation(_("留言不能超过 %(n)d 个字。", n=MAX_MESSAGE))
    existing = open_request(investor.id, project.id)
    if existing is not None:
        return existing
    meeting = MeetingRequest(
        investor_id=investor.id, project_id=project.id, institution_id=investor.institution_id,
        session_id=session_id, source=MeetingSource(source), message=message,
    )
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
    except IntegrityError:  # a concurrent request for the same pair won: use that one
        existing = open_request(investor.id, project.id)
        if existing is None:
            raise
        return existing
    if investor.institution_id is not None:
        ensure_deal(investor.institution_id, project.id, by=investor)
    _after_request(meeting, project, investor)
    return meeting


def _after_request(meeting: MeetingRequest, project: Project, investor: User) -> None:
    who = investor.institution.name if investor.institution else investor.name
    with stored_language():  # stored and read later: in the center's language
        for member in _startup_members(project):
            notify(
                member, "meeting_requested",
                _("%(who)s 希望约见「%(project)s」", who=who, project=project.title),
                meeting.message or _("请在“我的约见”中选择一个可约时段接受，或婉拒。"),
                link=site_path("meetings.detail", meeting_id=meeting.id),
                dedupe_key=f"meeting-request:{meeting.id}:{member.id}",
            )


# ----------------------------------------------------------------------------- availability

MIN_SLOT_MINUTES, MAX_SLOT_MINUTES = 15, 240


def add_slot(user: User, starts_at: datetime, minutes: int, location: str = "") -> AvailabilitySlot:
    """The user's company offers a time for meetings (naive UTC); slots of one company never overlap."""
    if user.company_id is None:
        raise PermissionDenied(_("请先完善企业信息，再发布可约时段。"))
    if starts_at <= utcnow():
        raise FieldRuleViolation("starts_at", _("不能发布已经过去的时间。"))
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        raise FieldRuleViolation("minutes", _("时长应在 %(a)d–%(b)d 分钟之间。", a=MIN_SLOT_MINUTES, b=MAX_SLOT_MINUTES))
    ends_at = starts_at + timedelta(minutes=minutes)
    overlapping = db.session.scalar(
        sa.select(AvailabilitySlot.id).where(
            AvailabilitySlot.company_id == user.company_id,
            AvailabilitySlot.starts_at < ends_at, AvailabilitySlot.ends_at > starts_at,
        ).limit(1)
    )
    if overlapping is not None:
        raise FieldRuleViolation("starts_at", _("与已发布的时段重叠。"))
    slot = AvailabilitySlot(company_id=user.company_id, starts_at=starts_at, ends_at=ends_at,
                            location=(location or "").strip()[:120])
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
        raise RuleViolation(_("该时段已有确认的约见，请先取消约见。"))
    db.session.delete(slot)
    db.session.flush()


def free_slots(company_id: int) -> list[AvailabilitySlot]:
    """Future slots no meeting has taken, soonest first."""
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


def accept(user: User, meeting: MeetingRequest, slot_id: int) -> MeetingRequest:
    """The startup accepts with one of its own free, future slots. Two accepts of one slot: one wins."""
    if not is_startup_member(user, meeting.project):
        raise PermissionDenied(_("只有项目方可以接受约见。"))
    slot = db.session.get(AvailabilitySlot, slot_id)
    if slot is None or slot.company_id != meeting.project.company_id:
        raise FieldRuleViolation("slot_id", _("请选择贵司已发布的可约时段。"))
    if slot.starts_at <= utcnow():
        raise FieldRuleViolation("slot_id", _("该时段已经过去，请选择其他时段。"))
    try:
        # The unique availability_slot_id makes the database refuse a second meeting in this slot.
        with db.session.begin_nested():
            _set_status(
                meeting, (MeetingStatus.REQUESTED,), _("该约见已经处理过了。"),
                status=MeetingStatus.ACCEPTED, availability_slot_id=slot.id, starts_at=slot.starts_at,
                ends_at=slot.ends_at, location=slot.location, responded_at=utcnow(),
            )
    except IntegrityError:
        raise FieldRuleViolation("slot_id", _("该时段刚刚被其他约见占用，请选择其他时段。")) from None
    with stored_language():  # stored and read later: in the center's language
        _tell(meeting.investor, meeting, "meeting_accepted",
              _("「%(project)s」接受了您的约见", project=meeting.project.title),
              _("时间：%(when)s（北京时间）", when=f"{to_local(slot.starts_at):%Y-%m-%d %H:%M}")
              + (f"\n{slot.location}" if slot.location else ""))
    return meeting


def decline(user: User, meeting: MeetingRequest, reason: str = "") -> MeetingRequest:
    if not is_startup_member(user, meeting.project):
        raise PermissionDenied(_("只有项目方可以婉拒约见。"))
    reason = _clean(reason)
    _set_status(meeting, (MeetingStatus.REQUESTED,), _("该约见已经处理过了。"),
                status=MeetingStatus.DECLINED, response_note=reason or None, responded_at=utcnow())
    with stored_language():  # stored and read later: in the center's language
        _tell(meeting.investor, meeting, "meeting_declined",
              _("「%(project)s」婉拒了您的约见", project=meeting.project.title), reason)
    return meeting


def cancel(user: User, meeting: MeetingRequest, reason: str = "") -> MeetingRequest:
    """Either side calls a request or an accepted meeting off; the slot is freed and the other side told."""
    investor_side = user.id == meeting.investor_id
    if not (investor_side or is_startup_member(user, meeting.project)):
        raise PermissionDenied(_("只有约见双方可以取消约见。"))
    if meeting.status == MeetingStatus.ACCEPTED and meeting.starts_at <= utcnow():
        raise RuleViolation(_("约见已经开始，不能再取消。"))
    reason = _clean(reason)
    _set_status(meeting, OPEN_STATUSES, _("该约见已结束或已取消。"),
                status=MeetingStatus.CANCELLED, availability_slot_id=None, response_note=reason or None,
                cancelled_by_id=user.id)
    with stored_language():  # stored and read later: in the center's language
        title = _("约见已取消：%(project)s", project=meeting.project.title)
        for other in ([*_startup_members(meeting.project)] if investor_side else [meeting.investor]):
            _tell(other, meeting, "meeting_cancelled", title, reason or _("对方取消了约见。"))
    return meeting


def mark_held(user: User, meeting: MeetingRequest) -> MeetingRequest:
    """After its start, either side confirms the meeting took place; the deal moves to "meeting held"."""
    if not (user.id == meeting.investor_id or is_startup_member(user, meeting.project)):
        raise PermissionDenied(_("只有约见双方可以确认见面。"))
    if meeting.status == MeetingStatus.ACCEPTED and meeting.starts_at > utcnow():
        raise RuleViolation(_("约见尚未开始，不能确认已见面。"))
    _set_status(meeting, (MeetingStatus.ACCEPTED,), _("只有已确认的约见可以标记为已见面。"),
                status=MeetingStatus.HELD)
    if meeting.institution_id is not None:
        record_meeting_held(meeting.institution_id, meeting.project_id)
    return meeting


def _clean(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_MESSAGE:
        raise FieldRuleViolation("reason", _("说明不能超过 %(n)d 个字。", n=MAX_MESSAGE))
    return reason


def _tell(user: User, meeting: MeetingRequest, kind: str, title: str, body: str) -> None:
    notify(user, kind, title, body, link=site_path("meetings.detail", meeting_id=meeting.id),
           dedupe_key=f"{kind}:{meeting.id}:{meeting.sequence}:{user.id}")


# ----------------------------------------------------------------------------- lists

def meetings_for(user: User, statuses: tuple[MeetingStatus, ...] | None = None) -> list[MeetingRequest]:
    """Requests the user sent (investor) or received (startup), open ones and upcoming first."""
    mine = [MeetingRequest.investor_id == user.id]
    if user.company_id is not None:
        mine.append(Project.company_id == user.company_id)
    query = sa.select(MeetingRequest).join(MeetingRequest.project).where(sa.or_(*mine))
    if statuses:
        query = query.where(MeetingRequest.status.in_(statuses))
    return list(db.session.scalars(
        query.order_by(MeetingRequest.starts_at.is_(None), MeetingRequest.starts_at, MeetingRequest.created_at.desc())
    ))
