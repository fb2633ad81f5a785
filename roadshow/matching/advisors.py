"""Financial-advisor (FA) matching: a startup asks, the best-matching advisor institutions receive it,
the first to take it on is engaged."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..common.errors import PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project
from ..projects.policies import is_owner
from .models import AdvisorRecipient, AdvisorRequest, AdvisorRequestStatus
from .policies import can_manage_advisor_request, is_advisor_recipient
from .queries import institutions_for_project

ADVISORS_PER_REQUEST = 5
MAX_MESSAGE = 1000


def open_request_for(project: Project) -> AdvisorRequest | None:
    return db.session.scalar(sa.select(AdvisorRequest).where(
        AdvisorRequest.project_id == project.id, AdvisorRequest.status == AdvisorRequestStatus.OPEN))


def request_advisor(user: User, project: Project, message: str = "") -> AdvisorRequest:
    if not is_owner(user, project):
        raise PermissionDenied(_("只有本企业成员可以为项目寻找财务顾问。"))
    if not project.is_public:
        raise RuleViolation(_("项目通过评审公开后，才能匹配财务顾问。"))
    if open_request_for(project) is not None:
        raise RuleViolation(_("该项目已有进行中的财务顾问需求。"))
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise RuleViolation(_("需求说明不能超过 %(n)d 个字。", n=MAX_MESSAGE))
    matches = institutions_for_project(project, advisors=True, limit=ADVISORS_PER_REQUEST)
    if not matches:
        raise RuleViolation(_("暂时没有与该项目匹配的财务顾问机构，请联系平台工作人员协助对接。"))
    request = AdvisorRequest(project_id=project.id, requested_by_id=user.id, message=message)
    request.recipients = [AdvisorRecipient(institution_id=m.institution_id, score=m.score, reasons=m.reasons)
                          for m in matches]
    db.session.add(request)
    db.session.flush()
    for m in matches:
        for member in m.institution.members:
            if not member.is_disabled:
                with stored_language(member):  # stored and read later: in the reader's language
                    notify(member, "advisor_request",
                           _("新的财务顾问需求：%(project)s", project=project.title),
                           message or project.pitch, link=site_path("matching.advisor_requests"),
                           dedupe_key=f"advisor:{request.id}:{member.id}")
    return request


def requests_for(user: User) -> list[AdvisorRequest]:
    """Requests sent to the user's (advisor) institution, newest first."""
    if user.institution_id is None:
        return []
    return list(db.session.scalars(
        sa.select(AdvisorRequest).join(AdvisorRecipient)
        .where(AdvisorRecipient.institution_id == user.institution_id)
        .order_by(AdvisorRequest.created_at.desc())
    ))


def engage(user: User, request: AdvisorRequest) -> AdvisorRequest:
    """An advisor who received the request takes it on; the first one wins."""
    if not is_advisor_recipient(user, request):
        raise PermissionDenied(_("该需求未发送给贵机构。"))
    taken = db.session.execute(
        sa.update(AdvisorRequest)
        .where(AdvisorRequest.id == request.id, AdvisorRequest.status == AdvisorRequestStatus.OPEN)
        .values(status=AdvisorRequestStatus.ENGAGED, engaged_institution_id=user.institution_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        raise RuleViolation(_("该需求已由其他机构承接或已关闭。"))
    db.session.refresh(request)
    for member in request.project.company.members:
        with stored_language(member):  # stored and read later: in the reader's language
            notify(member, "advisor_engaged",
                   _("%(inst)s 承接了您的财务顾问需求", inst=user.institution.name),
                   _("项目：%(project)s。对方将与您联系。", project=request.project.title),
                   link=site_path("matching.project_matches", project_id=request.project_id),
                   dedupe_key=f"advisor-engaged:{request.id}:{member.id}")
    return request


def close(user: User, request: AdvisorRequest) -> AdvisorRequest:
    if not can_manage_advisor_request(user, request):
        raise PermissionDenied(_("只有本企业成员可以关闭需求。"))
    if request.status != AdvisorRequestStatus.OPEN:
        raise RuleViolation(_("该需求已不在征集中。"))
    request.status = AdvisorRequestStatus.CLOSED
    db.session.flush()
    return request
