"""Deal pipeline rules: who sees a deal, which stage changes are allowed, what each one needs."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import to_local, utcnow
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project
from .models import PIPELINE, Deal, DealEvent, DealStage
from .policies import can_view_deal

MAX_REASON = 500


def visible_deals(user: User):
    """A select of the deals this user may see, newest change first."""
    query = sa.select(Deal).join(Deal.project).order_by(Deal.stage_changed_at.desc(), Deal.id.desc())
    if user.is_admin:
        return query
    mine = []
    if user.institution_id is not None:
        mine.append(Deal.institution_id == user.institution_id)
    if user.company_id is not None:
        mine.append(Project.company_id == user.company_id)
    return query.where(sa.or_(*mine)) if mine else query.where(sa.false())


def ensure_deal(institution_id: int, project_id: int, by: User | None = None) -> Deal:
    """The pair's deal, created at "interest" the first time (idempotent, also under concurrency)."""
    query = sa.select(Deal).where(Deal.institution_id == institution_id, Deal.project_id == project_id)
    deal = db.session.scalar(query)
    if deal is not None:
        return deal
    deal = Deal(institution_id=institution_id, project_id=project_id, stage=DealStage.INTEREST)
    deal.events.append(DealEvent(to_stage=DealStage.INTEREST, by_id=by.id if by else None))
    try:
        with db.session.begin_nested():
            db.session.add(deal)
    except IntegrityError:
        return db.session.scalar(query)
    return deal


def _check_transition(deal: Deal, to: DealStage) -> None:
    current = deal.stage
    if current == to:
        raise RuleViolation(_("交易已处于“%(stage)s”阶段。", stage=to.label))
    if current == DealStage.SIGNED:
        raise RuleViolation(_("已签约的交易不能再变更阶段。"))
    if to == DealStage.DROPPED:
        return
    if current == DealStage.DROPPED:
        if to != DealStage.INTEREST:
            raise RuleViolation(_("已终止的交易只能重新开启为“有意向”。"))
        return
    if PIPELINE.index(to) != PIPELINE.index(current) + 1:
        raise RuleViolation(_("不能从“%(a)s”直接进入“%(b)s”，请按顺序推进。", a=current.label, b=to.label))


def _check_terms(to: DealStage, amount: int | None, signed_on: date | None, reason: str) -> None:
    if to == DealStage.SIGNED:
        if not amount or amount <= 0:
            raise FieldRuleViolation("amount", _("签约必须填写投资金额。"))
        if signed_on is None:
            raise FieldRuleViolation("signed_on", _("签约必须填写签约日期。"))
        if signed_on > to_local(utcnow()).date():
            raise FieldRuleViolation("signed_on", _("签约日期不能晚于今天。"))
    if to == DealStage.DROPPED and not reason:
        raise FieldRuleViolation("reason", _("终止交易需要说明原因。"))
    if len(reason) > MAX_REASON:
        raise FieldRuleViolation("reason", _("说明不能超过 %(n)d 个字。", n=MAX_REASON))


def move(deal: Deal, user: User | None, to: DealStage, *, amount: int | None = None,
         signed_on: date | None = None, reason: str = "", note: str = "") -> Deal:
    """Move a deal to another stage. `user` None is the system (a meeting marked held)."""
    if user is not None and not can_view_deal(user, deal):
        raise PermissionDenied(_("只有交易双方和管理员可以更新交易进度。"))
    reason, note = (reason or "").strip(), (note or "").strip()
    _check_transition(deal, to)
    _check_terms(to, amount, signed_on, reason)
    values = {"stage": to, "stage_changed_at": utcnow()}
    if to == DealStage.SIGNED:
        values.update(amount=amount, signed_on=signed_on)
    if to == DealStage.DROPPED:
        values["drop_reason"] = reason
    if to == DealStage.INTEREST:  # reopened
        values["drop_reason"] = None
    # Conditional on the stage read above: two people moving the deal at once cannot both succeed.
    moved = db.session.execute(
        sa.update(Deal).where(Deal.id == deal.id, Deal.stage == deal.stage).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        raise RuleViolation(_("交易阶段刚刚被对方更新，请刷新后再试。"))
    db.session.add(DealEvent(deal_id=deal.id, from_stage=deal.stage, to_stage=to,
                             by_id=user.id if user else None, note=reason or note))
    db.session.flush()
    db.session.refresh(deal)
    _tell_parties(deal, user)
    return deal


def _tell_parties(deal: Deal, actor: User | None) -> None:
    members = list(db.session.scalars(
        sa.select(User).where(sa.or_(User.institution_id == deal.institution_id,
                                     User.company_id == deal.project.company_id), User.is_disabled.is_(False))
    ))
    for member in members:
        if actor is not None and member.id == actor.id:
            continue
        with stored_language(member):  # stored and read later: in the reader's language
            notify(
                member, "deal_stage",
                _("交易进度更新：%(inst)s × %(project)s → %(stage)s", inst=deal.institution.name,
                  project=deal.project.title, stage=deal.stage.label),
                deal.drop_reason or "", link=site_path("deals.detail", deal_id=deal.id),
                dedupe_key=f"deal:{deal.id}:{len(deal.events)}:{member.id}", email=False,
            )


def record_meeting_held(institution_id: int, project_id: int) -> Deal:
    """A held meeting moves a deal still at "interest" to "meeting held"."""
    deal = ensure_deal(institution_id, project_id)
    if deal.stage == DealStage.INTEREST:
        move(deal, None, DealStage.MEETING_HELD, note=_("约见已举行"))
    return deal
