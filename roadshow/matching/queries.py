"""What the matching pages read: stored matches, best fund per project or per institution."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from ..accounts.models import Role, User
from ..common.errors import PermissionDenied
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..investors.models import Institution, InstitutionType, VerificationStatus
from ..notifications.services import notify
from ..projects.models import PUBLIC_STATUSES, Project
from ..projects.policies import can_view_project
from ..roadshows.models import Booking, BookingStatus, RoadshowSession, Slot
from .models import Match, MatchFlag, MatchPreference, MatchRun

SORTS = ("score", "newest", "amount")


@dataclass
class MatchedProject:
    match: Match  # the institution's best-scoring fund for this project
    flag: MatchFlag | None

    @property
    def project(self) -> Project:
        return self.match.project

    @property
    def shown_key(self) -> str:
        """What the card shows of the match, for keeping it (the project, company and fund are under the page
        cache's generation; the match's score and reasons change with each refresh, and are in the key)."""
        reasons = hashlib.sha256(json.dumps(self.match.reasons, ensure_ascii=False).encode()).hexdigest()[:16]
        return f"{self.match.project_id}:{self.match.fund_id}:{self.match.score}:{reasons}"


def _best_per(matches, key) -> list[Match]:
    """Matches ordered by score desc; keep the first (best) one per key."""
    seen, best = set(), []
    for m in matches:
        if key(m) not in seen:
            seen.add(key(m))
            best.append(m)
    return best


@cache
def _matched_projects(*, chain: bool, stage: bool, view: str, sort: str) -> sa.Select:
    """The institution's best-scoring fund per public project (ties: the lower fund id), filtered and sorted
    in the database: a page reads ten of them, not every (fund, project) pair the institution has.
    Built once per shape of filter (the values are bound): building it cost more than running it."""
    ranked = (
        sa.select(Match.fund_id, Match.project_id, sa.func.row_number().over(
            partition_by=Match.project_id, order_by=(Match.score.desc(), Match.fund_id)).label("rank"))
        .where(Match.institution_id == sa.bindparam("institution_id"), Match.score >= sa.bindparam("min_score"))
        .subquery()
    )
    flag = MatchPreference.flag
    query = (
        sa.select(Match, flag)  # the reader's saved/hidden mark comes with each match
        .join(ranked, sa.and_(ranked.c.fund_id == Match.fund_id, ranked.c.project_id == Match.project_id,
                              ranked.c.rank == 1))
        .join(Match.project)
        .outerjoin(MatchPreference, sa.and_(MatchPreference.user_id == sa.bindparam("user_id"),
                                            MatchPreference.project_id == Match.project_id))
        .where(Project.status.in_(PUBLIC_STATUSES))
    )
    if chain:
        query = query.where(Project.industry_chain == sa.bindparam("chain"))
    if stage:
        query = query.where(Project.financing_round == sa.bindparam("stage"))
    wanted = {"saved": MatchFlag.SAVED, "hidden": MatchFlag.HIDDEN}.get(view)
    query = query.where(flag == wanted) if wanted else query.where(sa.or_(flag.is_(None), flag != MatchFlag.HIDDEN))
    first = {"newest": sa.func.coalesce(Project.decided_at, Project.created_at).desc(),
             "amount": Project.amount_sought.desc()}.get(sort)
    return query.order_by(*([first] if first is not None else []), Match.score.desc(), Match.project_id)


@cache
def _count(query: sa.Select) -> sa.Select:
    return sa.select(sa.func.count()).select_from(query.order_by(None).subquery())


@cache
def _loading(query: sa.Select) -> sa.Select:
    return query.options(contains_eager(Match.project).joinedload(Project.company), joinedload(Match.fund))


def _matches(user: User, chain: str = "", stage: str = "", min_score: int = 0, view: str = "all",
             sort: str = "score") -> tuple[sa.Select, dict]:
    query = _matched_projects(chain=bool(chain), stage=bool(stage), view=view if view in ("saved", "hidden") else "all",
                              sort=sort if sort in SORTS else "score")
    return query, {"institution_id": user.institution_id, "user_id": user.id, "min_score": min_score,
                   "chain": chain, "stage": stage}


def _read(statement: sa.Select, values: dict) -> list[MatchedProject]:
    return [MatchedProject(match, flag) for match, flag in db.session.execute(statement, values)]


def projects_for_institution(user: User, **filters) -> list[MatchedProject]:
    """The projects matched to the user's institution, best fund each, with the user's saved/hidden flag
    (filters: chain, stage, min_score, view all/saved/hidden, sort score/newest/amount)."""
    if user.institution_id is None:
        return []
    query, values = _matches(user, **filters)
    return _read(_loading(query), values)


def page_of_projects_for_institution(user: User, page: int, per_page: int = 10, **filters) -> ListPage:
    """One page of projects_for_institution(), counted and cut in the database."""
    if user.institution_id is None:
        return ListPage(0, page, per_page)
    query, values = _matches(user, **filters)
    found = ListPage(db.session.scalar(_count(query), values), page, per_page)
    found.items = _read(_loading(query).limit(per_page).offset((found.page - 1) * per_page), values)
    return found


def institutions_for_project(project: Project, *, advisors: bool = False, limit: int = 50) -> list[Match]:
    """Verified institutions matched to a project (best fund each); investors, or only advisors."""
    kind = Institution.type == InstitutionType.ADVISOR
    query = (
        sa.select(Match).join(Match.institution)
        .options(joinedload(Match.institution), joinedload(Match.fund))
        .where(Match.project_id == project.id, kind if advisors else ~kind)
        .order_by(Match.score.desc(), Match.institution_id)
    )
    if not advisors:
        query = query.where(Institution.verification_status == VerificationStatus.VERIFIED)
    else:
        query = query.where(Institution.verification_status != VerificationStatus.REJECTED)
    return _best_per(db.session.scalars(query), lambda m: m.institution_id)[:limit]


def set_flag(user: User, project: Project, flag: MatchFlag | None) -> None:
    """Save or hide a matched project for this investor; None clears it."""
    if not user.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以收藏或隐藏项目。"))
    if not can_view_project(user, project):
        raise PermissionDenied(_("项目不存在或尚未公开。"))  # no preference row for a project they cannot see
    preference = db.session.get(MatchPreference, (user.id, project.id))
    if flag is None:
        if preference is not None:
            db.session.delete(preference)
    elif preference is None:
        db.session.add(MatchPreference(user_id=user.id, project_id=project.id, flag=flag))
    else:
        preference.flag = flag
    db.session.flush()


# ----------------------------------------------------------------------------- session matrix (admin)

@dataclass
class SessionMatrix:
    projects: list[Project]
    institutions: list[Institution]
    cells: dict[tuple[int, int], Match]  # (institution id, project id) -> best match
    booked: set[int]  # institutions with someone booked into the session

    def total(self, institution: Institution) -> float:
        return sum(m.score for (i, _), m in self.cells.items() if i == institution.id)


def session_matrix(session: RoadshowSession, limit: int = 30) -> SessionMatrix:
    """The session's projects × the verified investor institutions matching them best (by summed score)."""
    projects = [slot.project for slot in session.slots]
    ids = [p.id for p in projects]
    matches = db.session.scalars(
        sa.select(Match).join(Match.institution)
        .where(Match.project_id.in_(ids), Institution.verification_status == VerificationStatus.VERIFIED,
               Institution.type != InstitutionType.ADVISOR)
        .order_by(Match.score.desc())
    ) if ids else []
    cells = {}
    for m in matches:
        cells.setdefault((m.institution_id, m.project_id), m)
    totals: dict[int, float] = {}
    for (institution_id, _), m in cells.items():
        totals[institution_id] = totals.get(institution_id, 0) + m.score
    top = sorted(totals, key=lambda i: -totals[i])[:limit]
    institutions = {i.id: i for i in db.session.scalars(sa.select(Institution).where(Institution.id.in_(top)))}
    booked = set(db.session.scalars(
        sa.select(User.institution_id).join(Booking, Booking.user_id == User.id)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED,
               User.institution_id.is_not(None))
    ))
    return SessionMatrix(projects, [institutions[i] for i in top], cells, booked)


def invite_to_session(session: RoadshowSession, institution: Institution) -> int:
    """Tell the institution's investors about a session matching them. Returns how many were told (once each)."""
    titles = "、".join(slot.project.title for slot in session.slots[:4])
    told = 0
    with stored_language():  # stored and read later: in the center's language
        for member in institution.members:
            if member.is_disabled or not member.has_role(Role.INVESTOR):
                continue
            told += notify(
                member, "session_invite", _("诚邀参加路演：%(title)s", title=session.title),
                _("平台根据贵机构的投资偏好推荐本场路演。路演项目：%(titles)s", titles=titles),
                link=site_path("roadshows.session_detail", session_id=session.id),
                dedupe_key=f"invite:{session.id}:{member.id}",
            ) is not None
    return told


def upcoming_sessions_with_projects(limit: int = 30) -> list[RoadshowSession]:
    return list(db.session.scalars(
        sa.select(RoadshowSession).where(RoadshowSession.ends_at > utcnow(),
                                         RoadshowSession.id.in_(sa.select(Slot.session_id)))
        .order_by(RoadshowSession.starts_at).limit(limit)
    ))


def latest_run() -> MatchRun | None:
    return db.session.scalar(sa.select(MatchRun).order_by(MatchRun.id.desc()).limit(1))


def stored_pairs() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Match)) or 0



@dataclass
class ListPage:
    """One page of `total` items, shaped like Flask-SQLAlchemy's pagination for the `pager` macro: the caller
    reads `items` for the page it settled on (a page past the end is the last one)."""
    total: int
    page: int
    per_page: int = 10
    items: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pages = max((self.total + self.per_page - 1) // self.per_page, 1)
        self.page = min(max(self.page, 1), self.pages)
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1

    def iter_pages(self, **_):
        return iter(range(1, self.pages + 1))
