"""record(): one line in the audit log, written in the same transaction as the action itself.

The services that perform an audited action call record() themselves, so the action is logged once
whichever path reached it: a page, the API, the live room, a job or the command line.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import User
from ..extensions import db
from .models import AuditEntry

# The actions admins can filter by, with their labels (kept here so pages and tests agree).
ACTIONS = {
    "project.approve": _l("批准项目"),
    "project.reject": _l("退回项目"),
    "project.review": _l("开始评审"),
    "application.accept": _l("路演申请入选"),
    "application.reject": _l("路演申请未入选"),
    "institution.verify": _l("认证机构"),
    "institution.reject": _l("驳回机构认证"),
    "session.cancel": _l("取消路演"),
    "session.status": _l("修改路演状态"),
    "session.move": _l("调整路演时间地点"),
    "matchmaking.create": _l("新建对接会"),
    "matchmaking.solve": _l("计算对接会排程"),
    "matchmaking.move": _l("调整对接会约见"),
    "matchmaking.publish": _l("发布对接会日程"),
    "user.roles": _l("修改用户角色"),
    "user.disable": _l("停用账号"),
    "user.enable": _l("启用账号"),
    "deck.download": _l("下载路演材料"),
    "loan.approve": _l("批准贷款申请"),
    "loan.decline": _l("拒绝贷款申请"),
    "deck.view": _l("在线阅读路演材料"),
    "deck.downloads": _l("设置路演材料下载"),
    "official_list.import": _l("导入官方名单"),
    "message.hide": _l("隐藏对话消息"),
    "organiser.approve": _l("批准合作主办方"),
    "organiser.decline": _l("拒绝合作主办方"),
    "venue_request.approve": _l("批准场地申请"),
    "venue_request.decline": _l("拒绝场地申请"),
    "organiser.reviewer_invite": _l("主办方开通评审专家账号"),
    "listing.tag": _l("认定上市后备企业"),
    "listing.withdraw": _l("撤销上市后备企业认定"),
    "listing.verify": _l("核验上市准备事项"),
    "listing.reject": _l("退回上市准备事项"),
    "training.material_add": _l("添加培训资料"),
    "training.material_remove": _l("删除培训资料"),
    "training.material_visibility": _l("修改培训资料公开范围"),
    "training.course_rule": _l("设置结业条件"),
    "certificate.issue": _l("签发结业证书"),
}


def _signed_in() -> User | None:
    """Whoever is signed in for this request (a page, an API token, a live-room socket); None outside one."""
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(actor: User | None, action: str, target, summary: str) -> AuditEntry:
    """Add the entry to the current transaction: it is committed with the action, or rolled back with it.

    `actor` None means the signed-in user (a page, an API token, a live-room socket); jobs and the
    command line have none and are logged as "system".
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")  # so the log page can always filter by it
    actor = actor if actor is not None and actor.is_authenticated else _signed_in()
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.name if actor is not None else "system",
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None),
        summary=summary[:300],
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def entries_query(action: str | None = None, actor_id: int | None = None, target_type: str | None = None) -> sa.Select:
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    return query
