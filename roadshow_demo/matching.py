"""Investor ⇄ project matching: demo data. Investment-express subscriptions for a few investors, an
advisor request, and the match scores computed for the whole data set."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from roadshow.accounts.models import User
from . import data
from roadshow.extensions import db
from roadshow.projects.models import Project
from roadshow.matching.models import AdvisorRecipient, AdvisorRequest, Frequency, SavedSearch
from roadshow.matching.queries import institutions_for_project
from roadshow.matching.services import refresh_stale

WAN = 10_000
SEARCHES = (
    ("investor01", "光芯屏端网 · Pre-A 至 B 轮", ["optoelectronics", "integrated_circuits", "displays"],
     ["pre_a", "a", "b"], 1000 * WAN, 20_000 * WAN, 60, Frequency.INSTANT),
    ("investor03", "成长期硬科技 · 1 亿以上", [], ["b", "c_plus", "pre_ipo"], 10_000 * WAN, None, 50, Frequency.DAILY),
    ("investor17", "低空经济与人工智能", ["low_altitude", "ai"], [], None, None, 0, Frequency.INSTANT),
)
# A startup that asked for a financial advisor: (founder account, project key, message).
ADVISOR_REQUEST = ("startup20", "p26", "本轮计划融资1.2亿元，希望财务顾问协助梳理估值并对接汽车产业资本。")


def _user(local_part: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == f"{local_part}@{data.EMAIL_DOMAIN}"))


def seed_searches() -> None:
    for account, name, chains, stages, low, high, min_score, frequency in SEARCHES:
        user = _user(account)
        if user is None or db.session.scalar(
                sa.select(SavedSearch.id).where(SavedSearch.user_id == user.id, SavedSearch.name == name)):
            continue
        db.session.add(SavedSearch(user_id=user.id, name=name, chains=chains, stages=stages, amount_min=low,
                                   amount_max=high, min_score=min_score, frequency=frequency))


def seed_advisor_request() -> None:
    account, key, message = ADVISOR_REQUEST
    founder = _user(account)
    title = next(p.title for p in data.PROJECTS if p.key == key)
    project = db.session.scalar(sa.select(Project).where(Project.title == title))
    if founder is None or project is None or not project.is_public or db.session.scalar(
            sa.select(AdvisorRequest.id).where(AdvisorRequest.project_id == project.id)):
        return
    matches = institutions_for_project(project, advisors=True, limit=5)
    if matches:
        request = AdvisorRequest(project_id=project.id, requested_by_id=founder.id, message=message)
        request.recipients = [AdvisorRecipient(institution_id=m.institution_id, score=m.score, reasons=m.reasons)
                              for m in matches]
        db.session.add(request)


def seed_demo(today: date) -> None:
    """Adds this domain's demo rows; idempotent like the rest of the demo data set."""
    seed_searches()
    db.session.flush()
    refresh_stale()
    seed_advisor_request()
