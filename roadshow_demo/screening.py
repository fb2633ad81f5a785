"""Screening (路演筛选) demo data: expert profiles, reviewer panels with scores, decided applications.

Runs after the core seed, which made the reviewer accounts and the applications; rows are looked
up by natural key first (reviewer, (application, reviewer) assignment, assignment's score) and a
decision is made only while the application has none, so a second run adds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.choices import IndustryChain as C
from roadshow.common.timeutil import utcnow
from . import data
from .seed import at, demo_email, rng_for
from roadshow.extensions import db
from roadshow.projects.models import Project
from roadshow.roadshows.models import Application, ApplicationStatus as A, Series, Slot
from roadshow.screening.models import CRITERIA, ReviewAssignment, ReviewerProfile, ReviewScore


@dataclass(frozen=True)
class ExpertSpec:
    email_local: str
    name: str
    title: str
    organization: str
    chains: tuple
    bio: str


EXPERTS = [
    ExpertSpec("reviewer1", "周启明", "教授、博士生导师", "华中科技大学光学与电子信息学院",
               (C.OPTOELECTRONICS, C.INTEGRATED_CIRCUITS, C.DISPLAYS, C.NEW_MATERIALS),
               "长期从事光通信器件与硅基光电子研究，主持国家重点研发计划项目，熟悉光芯屏端网产业链与关键材料。"),
    ExpertSpec("reviewer2", "吴静怡", "主任医师", "武汉大学中南医院临床研究中心",
               (C.LIFE_HEALTH,), "从事创新药与医疗器械临床试验二十年，参与多项一类新药注册审评。"),
    ExpertSpec("reviewer3", "郑凯文", "管理合伙人", "江城科创投资管理有限公司",
               (C.AI, C.SMART_TERMINALS, C.NETWORKS_5G, C.AUTOMOTIVE_NEV, C.LOW_ALTITUDE, C.OTHER),
               "十五年硬科技股权投资经验，关注人工智能、智能终端、新能源汽车与低空经济，擅长商业模式与融资结构评估。"),
]

# Review panels: project key -> [(reviewer, scored)].
PANELS = {
    "p02": [("reviewer1", True), ("reviewer3", False)],
    "p08": [("reviewer1", True), ("reviewer3", True)],
    "p13": [("reviewer1", True), ("reviewer3", True)],
    "p24": [("reviewer3", True), ("reviewer1", False)],
    "p38": [("reviewer3", False)],
    "p34": [("reviewer3", True), ("reviewer1", True)],
}

# Decisions: project key -> (status, days before today, reason shown to the startup).
DECISIONS = {
    "p34": (A.ACCEPTED, 9, "技术成熟度高、已有头部电池厂订单，安排在专精特新专场。"),
    "p13": (A.REJECTED, 2, "车规认证尚在进行中，建议取得AEC-Q101认证与首个定点项目后再申请专精特新专场。"),
}

COMMENTS = {
    "high": "技术路线清晰，团队具备量产经验，已有标杆客户验证，建议优先安排路演。",
    "mid": "技术有特色，市场空间明确；建议补充客户验证数据与本轮融资后的里程碑。",
    "low": "商业化路径尚不清晰，估值预期偏高，建议打磨商业模式后再申请。",
}


def seed_demo(today: date) -> None:
    """Adds this domain's demo rows; idempotent like the rest of the demo data set."""
    experts = seed_experts()
    admin = db.session.scalars(sa.select(User).where(User.email == demo_email("admin"))).first()
    applications = seed_applications()
    for key, panel in PANELS.items():
        application = applications.get(key)
        if application is not None:
            seed_panel(key, application, [(experts[local], scored) for local, scored in panel if local in experts])
    for key, (status, days_ago, reason) in DECISIONS.items():
        application = applications.get(key)
        if application is not None and application.decided_at is None:
            application.status, application.decision_reason, application.decided_by = status, reason, admin
            application.decided_at = max(at(today - timedelta(days=days_ago), time(10)), application.created_at)
            link_slot(application)
    db.session.flush()


def seed_experts() -> dict[str, User]:
    """Expert profiles for the reviewer accounts the core seed made (data.STAFF)."""
    experts = {}
    for spec in EXPERTS:
        user = db.session.scalars(sa.select(User).where(User.email == demo_email(spec.email_local))).first()
        if user is None:
            continue
        if db.session.get(ReviewerProfile, user.id) is None:
            db.session.add(ReviewerProfile(user_id=user.id, title=spec.title, organization=spec.organization,
                                           chains=[c.value for c in spec.chains], bio=spec.bio))
        experts[spec.email_local] = user
    return experts


def project_by_key(key: str) -> Project | None:
    spec = next(p for p in data.PROJECTS if p.key == key)
    return db.session.scalars(sa.select(Project).where(Project.title == spec.title)).first()


def series_application(project: Project, series: Series) -> Application | None:
    return db.session.scalars(sa.select(Application).where(
        Application.project_id == project.id, Application.series_id == series.id, Application.session_id.is_(None)
    )).first()


def seed_applications() -> dict[str, Application]:
    """The core seed's applications (data.APPLICATIONS), by project key."""
    found = {}
    for key, slug, _status, _note in data.APPLICATIONS:
        project = project_by_key(key)
        series = db.session.scalars(sa.select(Series).where(Series.slug == slug)).first()
        application = series_application(project, series) if project and series else None
        if application is not None:
            found[key] = application
    return found


def seed_panel(key: str, application: Application, panel: list[tuple[User, bool]]) -> None:
    for reviewer, scored in panel:
        assignment = db.session.scalars(sa.select(ReviewAssignment).where(
            ReviewAssignment.application_id == application.id, ReviewAssignment.reviewer_id == reviewer.id
        )).first()
        if assignment is None:
            assigned_at = min(application.created_at + timedelta(days=1), utcnow())
            assignment = ReviewAssignment(application=application, reviewer=reviewer, created_at=assigned_at)
            db.session.add(assignment)
            db.session.flush()
        if scored and assignment.score is None:
            rng = rng_for("score", key, reviewer.email)
            marks = {column: rng.randint(2, 5) for column, _label in CRITERIA}
            overall = sum(marks.values()) / len(marks)
            tone = "high" if overall >= 4 else ("mid" if overall >= 3 else "low")
            db.session.add(ReviewScore(assignment=assignment, comment=COMMENTS[tone], **marks))


def link_slot(application: Application) -> None:
    """An accepted application whose project the core seed already placed points at that slot."""
    if application.status != A.ACCEPTED or application.slot_id is not None:
        return
    slot = db.session.scalars(sa.select(Slot).where(Slot.project_id == application.project_id)).first()
    taken = slot is not None and db.session.scalar(sa.select(Application.id).where(Application.slot_id == slot.id))
    if slot is not None and not taken:
        application.slot = slot
