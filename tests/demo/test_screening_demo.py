"""Screening demo data: expert profiles, panels with scores, decided applications; seeding twice adds nothing."""
from datetime import date

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow_demo.seed import DEMO_PASSWORD, seed_demo
from roadshow.roadshows.models import Application, ApplicationStatus
from roadshow.screening.models import ReviewAssignment, ReviewerProfile, ReviewScore

TODAY = date(2026, 3, 11)


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_screening_data_is_coherent_and_idempotent(app, db, client, login):
    seed_demo(today=TODAY)
    db.session.commit()
    assert count(db, ReviewerProfile) == 3
    assert all(p.chains for p in db.session.scalars(sa.select(ReviewerProfile)))
    assert count(db, ReviewAssignment) >= 8 and count(db, ReviewScore) >= 6
    decided = {a.status: a for a in db.session.scalars(sa.select(Application).where(Application.decided_at.is_not(None)))}
    assert decided[ApplicationStatus.REJECTED].decision_reason
    assert decided[ApplicationStatus.ACCEPTED].decided_by is not None
    # no reviewer judges their own company
    for assignment in db.session.scalars(sa.select(ReviewAssignment)):
        assert assignment.reviewer.company_id != assignment.application.project.company_id

    before = {model: count(db, model) for model in (ReviewerProfile, ReviewAssignment, ReviewScore, Application)}
    seed_demo(today=TODAY)
    db.session.commit()
    assert {model: count(db, model) for model in before} == before

    reviewer = db.session.scalars(sa.select(User).where(User.email == "reviewer1@roadshow.demo")).one()
    login(reviewer, DEMO_PASSWORD)
    page = client.get("/screening/reviews").get_data(as_text=True)
    assert "CPO共封装光学引擎研发项目" in page
