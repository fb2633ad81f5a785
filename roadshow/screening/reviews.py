"""The reviewer pool, assigning reviewers to applications, rubric scores and their summary."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean, pstdev

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User, UserRole
from ..common.choices import IndustryChain
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project
from ..roadshows.models import Application, ApplicationStatus
from .models import CRITERIA, SCORE_MAX, SCORE_MIN, ReviewAssignment, ReviewerProfile, ReviewScore


# --- the pool ------------------------------------------------------------------------------

def reviewer_pool() -> list[User]:
    """Active users with the reviewer role, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.REVIEWER, User.is_disabled.is_(False))
            .order_by(User.name, User.id)
        )
    )


def profiles_by_user(users: list[User]) -> dict[int, ReviewerProfile]:
    ids = [u.id for u in users]
    return {p.user_id: p for p in db.session.scalars(sa.select(ReviewerProfile).where(ReviewerProfile.user_id.in_(ids)))}


def profile_of(user: User) -> ReviewerProfile | None:
    return db.session.get(ReviewerProfile, user.id)


def save_profile(user: User, *, title: str, organization: str, chains: list[str], bio: str) -> ReviewerProfile:
    if not user.has_role(Role.REVIEWER):
        raise RuleViolation(_("只有评审专家有专家档案。"))
    chains = [IndustryChain(c).value for c in dict.fromkeys(chains)]  # known values, once each, in order
    if not chains:
        raise FieldRuleViolation("chains", _("请至少选择一个擅长的产业链。"))
    profile = profile_of(user) or ReviewerProfile(user_id=user.id)
    profile.title, profile.organization, profile.chains, profile.bio = title.strip(), organization.strip(), chains, bio.strip()
    db.session.add(profile)
    db.session.flush()
    return profile


def open_assignment_counts() -> dict[int, int]:
    """Per reviewer: assignments on pending applications not yet scored (their current workload)."""
    return dict(
        db.session.execute(
            sa.select(ReviewAssignment.reviewer_id, sa.func.count())
            .join(Application, Application.id == ReviewAssignment.application_id)
            .outerjoin(ReviewScore, ReviewScore.assignment_id == ReviewAssignment.id)
            .where(Application.status == ApplicationStatus.PENDING, ReviewScore.id.is_(None))
            .group_by(ReviewAssignment.reviewer_id)
        ).all()
    )


@dataclass(frozen=True)
class Candidate:
    reviewer: User
    profile: ReviewerProfile | None
    matches_chain: bool
    open_reviews: int
    conflict: bool


def candidates(application: Application, pool: list[User] | None = None) -> list[Candidate]:
    """Reviewers of the pool (the center's unless given: a partner organiser's own) not yet assigned: chain experts
    first, then the least busy; conflicted ones last, flagged."""
    assigned = {a.reviewer_id for a in assignments_of(application)}
    pool = [u for u in (reviewer_pool() if pool is None else pool) if u.id not in assigned]
    profiles, workload = profiles_by_user(pool), open_assignment_counts()
    chain = application.project.industry_chain.value
    found = [
        Candidate(
            reviewer=u,
            profile=profiles.get(u.id),
            matches_chain=u.id in profiles and chain in profiles[u.id].chains,
            open_reviews=workload.get(u.id, 0),
            conflict=has_conflict(u, application),
        )
        for u in pool
    ]
    return sorted(found, key=lambda c: (c.conflict, not c.matches_chain, c.open_reviews, c.reviewer.name))


# --- assignments ---------------------------------------------------------------------------

def has_conflict(reviewer: User, application: Application) -> bool:
    """A reviewer who belongs to the applying company cannot judge it."""
    return reviewer.company_id is not None and reviewer.company_id == application.project.company_id


def _refuse_conflict(reviewer: User, application: Application) -> None:
    if has_conflict(reviewer, application):
        raise PermissionDenied(
            _("利益冲突：%(name)s 属于申请企业“%(company)s”，不能评审该项目。",
              name=reviewer.name, company=application.project.company.name)
        )


def assignments_of(application: Application) -> list[ReviewAssignment]:
    return list(
        db.session.scalars(
            sa.select(ReviewAssignment)
            .where(ReviewAssignment.application_id == application.id)
            .order_by(ReviewAssignment.created_at, ReviewAssignment.id)
            .options(selectinload(ReviewAssignment.reviewer), selectinload(ReviewAssignment.score))
        )
    )


def assign(application: Application, reviewer: User, admin: User) -> ReviewAssignment:
    if application.status != ApplicationStatus.PENDING:
        raise RuleViolation(_("申请已是“%(status)s”，不再需要评审。", status=application.status.label))
    if not reviewer.has_role(Role.REVIEWER) or reviewer.is_disabled:
        raise RuleViolation(_("%(name)s 不是在册的评审专家。", name=reviewer.name))
    _refuse_conflict(reviewer, application)
    exists = db.session.scalar(
        sa.select(ReviewAssignment.id).where(
            ReviewAssignment.application_id == application.id, ReviewAssignment.reviewer_id == reviewer.id
        )
    )
    if exists:
        raise RuleViolation(_("%(name)s 已在评审这份申请。", name=reviewer.name))
    assignment = ReviewAssignment(application=application, reviewer=reviewer, assigned_by_id=admin.id)
    db.session.add(assignment)
    db.session.flush()  # a concurrent duplicate fails on the unique key; the caller rolls back
    with stored_language(reviewer):  # stored and read later: in the reader's language
        notify(
            reviewer,
            "review_assigned",
            _("新的评审任务：%(project)s", project=application.project.title),
            _("请在“我的评审”中查看项目材料，按技术、市场、团队、融资匹配度打分。"),
            link=site_path("screening.review", assignment_id=assignment.id),
            dedupe_key=f"review-assigned:{assignment.id}",
        )
    return assignment


def unassign(assignment: ReviewAssignment) -> None:
    if assignment.application.status != ApplicationStatus.PENDING:
        raise RuleViolation(_("申请已有结论，评审记录需保留。"))
    if assignment.score is not None:
        raise RuleViolation(_("%(name)s 已经打分，不能移除。", name=assignment.reviewer.name))
    db.session.delete(assignment)
    db.session.flush()


def reviewer_assignments(reviewer: User) -> list[ReviewAssignment]:
    """The reviewer's own work list: open reviews first, then by assignment date."""
    rows = db.session.scalars(
        sa.select(ReviewAssignment)
        .where(ReviewAssignment.reviewer_id == reviewer.id)
        .order_by(ReviewAssignment.created_at.desc(), ReviewAssignment.id.desc())
        .options(
            selectinload(ReviewAssignment.score),
            selectinload(ReviewAssignment.application).selectinload(Application.project).selectinload(Project.company),
            selectinload(ReviewAssignment.application).selectinload(Application.series),
            selectinload(ReviewAssignment.application).selectinload(Application.session),
        )
    )
    return sorted(rows, key=lambda a: a.application.status != ApplicationStatus.PENDING)


# --- scores --------------------------------------------------------------------------------

def save_score(assignment: ReviewAssignment, reviewer: User, comment: str = "", **marks) -> ReviewScore:
    """Score (or re-score) an assignment: each criterion a whole number 1–5; editable until the decision."""
    if assignment.reviewer_id != reviewer.id:
        raise PermissionDenied(_("只能为分配给自己的申请打分。"))
    _refuse_conflict(reviewer, assignment.application)
    if assignment.application.status != ApplicationStatus.PENDING:
        raise RuleViolation(_("申请已是“%(status)s”，评分不能再修改。", status=assignment.application.status.label))
    for column, label in CRITERIA:
        value = marks.get(column)
        if not isinstance(value, int) or isinstance(value, bool) or not SCORE_MIN <= value <= SCORE_MAX:
            raise FieldRuleViolation(
                column, _("“%(criterion)s”须为 %(low)d–%(high)d 分的整数。", criterion=label, low=SCORE_MIN, high=SCORE_MAX)
            )
    score = assignment.score or ReviewScore(assignment=assignment)
    for column, _label in CRITERIA:
        setattr(score, column, marks[column])
    score.comment = (comment or "").strip()
    db.session.add(score)
    db.session.flush()
    return score


@dataclass(frozen=True)
class RubricSummary:
    """What the admin weighs before deciding: averages per criterion, overall, and how far reviewers disagree."""
    count: int
    averages: dict[str, float]  # criterion column -> mean
    overall: float | None  # mean of the reviewers' overall marks
    low: float | None  # lowest and highest reviewer overall: the spread
    high: float | None
    stdev: float | None  # population standard deviation of the reviewer overalls

    @property
    def spread(self) -> float | None:
        return None if self.count == 0 else self.high - self.low


def summarize(scores: list[ReviewScore]) -> RubricSummary:
    if not scores:
        return RubricSummary(0, {}, None, None, None, None)
    overalls = [s.overall for s in scores]
    return RubricSummary(
        count=len(scores),
        averages={column: fmean(getattr(s, column) for s in scores) for column, _label in CRITERIA},
        overall=fmean(overalls),
        low=min(overalls),
        high=max(overalls),
        stdev=pstdev(overalls),
    )


def summaries_for(applications: list[Application]) -> dict[int, RubricSummary]:
    """Rubric summaries for a page of applications, in one query."""
    ids = [a.id for a in applications]
    scores: dict[int, list[ReviewScore]] = {i: [] for i in ids}
    rows = db.session.execute(
        sa.select(ReviewAssignment.application_id, ReviewScore)
        .join(ReviewScore, ReviewScore.assignment_id == ReviewAssignment.id)
        .where(ReviewAssignment.application_id.in_(ids))
    ).all()
    for application_id, score in rows:
        scores[application_id].append(score)
    return {i: summarize(s) for i, s in scores.items()}


def assignment_counts(applications: list[Application]) -> dict[int, int]:
    ids = [a.id for a in applications]
    return dict(
        db.session.execute(
            sa.select(ReviewAssignment.application_id, sa.func.count())
            .where(ReviewAssignment.application_id.in_(ids))
            .group_by(ReviewAssignment.application_id)
        ).all()
    )
