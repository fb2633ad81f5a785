""""Request a meeting" from inside the room: an interest flag per (session, project, investor) and a meeting request."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..meetings.services import request_meeting
from ..accounts.models import User
from ..investors.models import Institution, VerificationStatus
from ..projects.models import Project
from .access import Access
from .errors import LiveError
from .models import Interest
from .room import presenting_slot, require_live


def flag_interest(access: Access, project_id: int | None = None) -> tuple[Interest, bool]:
    """(interest, created); a second click returns the first flag. The meetings domain gets the request."""
    require_live(access.session)
    if not access.can_flag_interest:
        raise LiveError("forbidden", _("只有投资机构用户可以申请约谈。"))
    project = _project(access, project_id)
    interest = db.session.scalar(sa.select(Interest).where(
        Interest.session_id == access.session.id, Interest.project_id == project.id,
        Interest.investor_id == access.user_id))
    if interest is not None:
        return interest, False
    interest = Interest(session_id=access.session.id, project_id=project.id, investor_id=access.user_id)
    try:
        with db.session.begin_nested():  # the unique key settles a double click from two tabs
            db.session.add(interest)
    except IntegrityError:
        return flag_interest(access, project.id)
    request_meeting(access.user, project, source="live", session_id=access.session.id)
    return interest, True


def _project(access: Access, project_id: int | None) -> Project:
    if project_id is None:
        slot = presenting_slot(access.session)
        if slot is None:
            raise LiveError("no_presenter", _("现在没有正在路演的项目。"))
        return slot.project
    slot = next((s for s in access.session.slots if s.project_id == project_id), None)
    if slot is None:
        raise LiveError("not_found", _("本场路演没有这个项目。"))
    return slot.project


def counts_by_project(session_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(Interest.project_id, sa.func.count()).where(Interest.session_id == session_id)
        .group_by(Interest.project_id)
    ).all())


def interests_seen_by(access: Access) -> list[Interest]:
    """Hosts see every flag; a presenting startup sees the flags on its own projects; others none."""
    query = sa.select(Interest).where(Interest.session_id == access.session.id)
    if access.company_id is not None:
        query = query.join(Project).where(Project.company_id == access.company_id)
    elif not access.can_moderate:
        return []
    return list(db.session.scalars(query.order_by(Interest.id).options(sa.orm.selectinload(Interest.investor))))


def flags_by(access: Access) -> sa.Select:
    """The projects the member (signed in) flagged interest in, as (project id, NULL) rows: one part of the
    member's marks (payloads.member_marks)."""
    return sa.select(Interest.project_id, sa.cast(sa.null(), sa.Integer)).where(
        Interest.session_id == access.session.id, Interest.investor_id == access.user_id)


def interested_institutions(session_id: int, company_id: int) -> list:
    """The verified institutions whose investors flagged interest in the company's projects in this
    session: the startup may ask them for a meeting from the session's record."""
    return list(db.session.scalars(
        sa.select(Institution).join(User, User.institution_id == Institution.id)
        .join(Interest, Interest.investor_id == User.id).join(Project, Interest.project_id == Project.id)
        .where(Interest.session_id == session_id, Project.company_id == company_id,
               Institution.verification_status == VerificationStatus.VERIFIED)
        .distinct().order_by(Institution.name)
    ))
