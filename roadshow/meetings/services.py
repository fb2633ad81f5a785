"""Meeting rules: investors ask, startups offer slots and accept one or decline, either side cancels."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..common.errors import PermissionDenied, RuleViolation
from ..extensions import db
from ..notifications.services import notify
from ..projects.models import Project
from .models import OPEN_STATUSES, MeetingRequest, MeetingSource

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
    _after_request(meeting, project, investor)
    return meeting


def _after_request(meeting: MeetingRequest, project: Project, investor: User) -> None:
    who = investor.institution.name if investor.institution else investor.name
    for member in _startup_members(project):
        notify(
            member, "meeting_requested",
            _("%(who)s 希望约见「%(project)s」", who=who, project=project.title),
            meeting.message or _("请在“我的约见”中选择一个可约时段接受，或婉拒。"),
            link=f"/meetings/{meeting.id}",
            dedupe_key=f"meeting-request:{meeting.id}:{member.id}",
        )
