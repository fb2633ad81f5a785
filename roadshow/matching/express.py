"""路演投资直通车 (investment express): saved searches that tell investors about fitting new projects.

A project fits a subscription when its chain, round and amount sought are among the ones chosen and
the subscriber's institution scores it at least `min_score`. Each (subscription, project) pair is
delivered once: the delivery row's primary key and the notification's dedupe key both refuse a second.
"""
from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..common.errors import FieldRuleViolation, PermissionDenied
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project, ProjectStatus
from .explain import money
from .models import ExpressDelivery, Frequency, Match, SavedSearch

# Statuses whose arrival is news for a subscriber ("approved or scheduled").
NEWS_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.SCHEDULED)
MAX_SEARCHES = 20


def save_search(user: User, search: SavedSearch | None = None, **fields) -> SavedSearch:
    """Create (or update the user's own) subscription from form data."""
    if not user.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以订阅投资直通车。"))
    if search is not None and search.user_id != user.id:
        raise PermissionDenied(_("不能修改别人的订阅。"))
    low, high = fields.get("amount_min"), fields.get("amount_max")
    if low is not None and high is not None and low > high:
        raise FieldRuleViolation("amount_max", _("金额上限不能小于下限。"))
    if search is None:
        count = db.session.scalar(sa.select(sa.func.count()).where(SavedSearch.user_id == user.id))
        if count >= MAX_SEARCHES:
            raise FieldRuleViolation("name", _("最多保存 %(n)d 个订阅。", n=MAX_SEARCHES))
        search = SavedSearch(user_id=user.id)
        db.session.add(search)
    for key, value in fields.items():
        setattr(search, key, value)
    db.session.flush()
    return search


def delete_search(user: User, search: SavedSearch) -> None:
    if search.user_id != user.id:
        raise PermissionDenied(_("不能删除别人的订阅。"))
    db.session.delete(search)
    db.session.flush()


def best_score(institution_id: int | None, project_id: int) -> float:
    if institution_id is None:
        return 0.0
    return db.session.scalar(
        sa.select(sa.func.max(Match.score)).where(Match.institution_id == institution_id,
                                                  Match.project_id == project_id)
    ) or 0.0


def fits(search: SavedSearch, project: Project) -> bool:
    if search.chains and project.industry_chain.value not in search.chains:
        return False
    if search.stages and project.financing_round.value not in search.stages:
        return False
    if search.amount_min is not None and project.amount_sought < search.amount_min:
        return False
    if search.amount_max is not None and project.amount_sought > search.amount_max:
        return False
    return search.min_score <= 0 or best_score(search.user.institution_id, project.id) >= search.min_score


def _active_searches() -> list[SavedSearch]:
    return list(db.session.scalars(
        sa.select(SavedSearch).join(SavedSearch.user)
        .where(SavedSearch.active, User.is_disabled.is_(False))
    ))


def _project_line(project: Project) -> str:
    return _("%(title)s（%(chain)s · %(round)s · 拟融 %(amount)s）", title=project.title,
             chain=project.industry_chain.label, round=project.financing_round.label,
             amount=money(project.amount_sought))


def _deliver(search: SavedSearch, project: Project) -> bool:
    """Record the delivery (once ever) and, for instant subscriptions, notify now."""
    delivery = ExpressDelivery(search_id=search.id, project_id=project.id)
    try:
        with db.session.begin_nested():
            db.session.add(delivery)
    except IntegrityError:
        return False
    if search.frequency == Frequency.INSTANT:
        with stored_language(search.user):  # stored and read later: in the reader's language
            notify(
                search.user, "express_match",
                _("投资直通车：新项目符合“%(name)s”", name=search.name), _project_line(project),
                link=site_path("projects.detail", project_id=project.id),
                dedupe_key=f"express:{search.id}:{project.id}",
            )
        delivery.notified_at = utcnow()
    return True


def deliver_for_projects(project_ids: Collection[int]) -> int:
    """Match newly approved/scheduled projects against every active subscription. Returns deliveries made.

    Only projects that changed after the subscription was saved are news to it.
    """
    if not project_ids:
        return 0
    projects = list(db.session.scalars(
        sa.select(Project).where(Project.id.in_(list(project_ids)), Project.status.in_(NEWS_STATUSES))
    ))
    delivered = 0
    for search in _active_searches():
        for project in projects:
            if project.updated_at >= search.created_at and fits(search, project):
                delivered += _deliver(search, project)
    db.session.flush()
    return delivered


def send_daily_digests() -> int:
    """One notification per daily subscription listing the projects delivered since its last digest."""
    pending = db.session.scalars(
        sa.select(ExpressDelivery).join(SavedSearch, ExpressDelivery.search_id == SavedSearch.id)
        .where(ExpressDelivery.notified_at.is_(None), SavedSearch.frequency == Frequency.DAILY)
        .order_by(ExpressDelivery.search_id, ExpressDelivery.created_at)
    )
    by_search: dict[int, list[ExpressDelivery]] = {}
    for delivery in pending:
        by_search.setdefault(delivery.search_id, []).append(delivery)
    now = utcnow()
    for search_id, deliveries in by_search.items():
        search = db.session.get(SavedSearch, search_id)
        last = max(d.project_id for d in deliveries)
        with stored_language(search.user):  # stored and read later: in the reader's language
            notify(
                search.user, "express_digest",
                ngettext("投资直通车每日汇总：%(num)d 个新项目符合“%(name)s”",
                         "投资直通车每日汇总：%(num)d 个新项目符合“%(name)s”", len(deliveries), name=search.name),
                "\n".join(_project_line(d.project) for d in deliveries),
                link=site_path("matching.index"),
                dedupe_key=f"express-digest:{search_id}:{len(deliveries)}:{last}:{now:%Y%m%d}",
            )
        for delivery in deliveries:
            delivery.notified_at = now
    db.session.flush()
    return len(by_search)
