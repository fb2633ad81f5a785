"""The demo data set seen from seven people, for the access-control table: who owns what."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa

from roadshow.accounts.models import Role, User, UserRole
from roadshow.api.tokens import create_token
from roadshow.deals.models import Deal
from roadshow.extensions import db
from roadshow.investors.models import Fund
from roadshow.matching.models import AdvisorRequest, SavedSearch
from roadshow.meetings.models import AvailabilitySlot, MeetingRequest
from roadshow.notifications.services import notify
from roadshow.projects.models import PUBLIC_STATUSES, Project, ProjectStatus
from roadshow.roadshows.models import Application, Booking, BookingStatus, RoadshowSession, Series, Slot, Venue
from roadshow.scheduling.models import SessionTemplate
from roadshow.screening.models import ReviewAssignment

ROLES = ("anonymous", "startup_a", "startup_b", "investor", "host", "reviewer", "admin")


def _first(query):
    row = db.session.scalars(query.limit(1)).first()
    assert row is not None, f"the demo data has no row for {query}"
    return row


def build_world() -> dict:
    """People and the ids each route argument gets. Startup A owns every object; the investor is its counterpart."""
    meeting = _first(sa.select(MeetingRequest).join(Project).where(Project.status.in_(PUBLIC_STATUSES))
                     .order_by(MeetingRequest.id))
    project = meeting.project
    company = project.company
    startup_a = _first(sa.select(User).where(User.company_id == company.id))
    startup_b = _first(sa.select(User).join(UserRole).where(UserRole.role == Role.STARTUP,
                                                            User.company_id != company.id, User.company_id.is_not(None)))
    investor = meeting.investor
    draft = Project(company=company, title="未公开的新项目", pitch="尚在准备", description="", use_of_funds="",
                    industry_chain=company.industry_chain, financing_round=project.financing_round,
                    amount_sought=10_000_000, status=ProjectStatus.DRAFT)
    db.session.add(draft)
    db.session.flush()
    assignment = _first(sa.select(ReviewAssignment).order_by(ReviewAssignment.id))
    slot = _first(sa.select(Slot).join(RoadshowSession).where(Slot.project_id == project.id))
    booking = _first(sa.select(Booking).where(Booking.user_id == investor.id, Booking.status == BookingStatus.CONFIRMED))
    note = notify(startup_a, "test", "给企业 A 的消息", email=False)
    token, _plain = create_token(startup_a, "A 的令牌", ["read"])
    availability = AvailabilitySlot(company_id=company.id, starts_at=datetime(2030, 1, 7, 2), ends_at=datetime(2030, 1, 7, 3),
                                    location="A 会议室")
    db.session.add(availability)
    db.session.flush()
    people = {
        "startup_a": startup_a,
        "startup_b": startup_b,
        "investor": investor,
        "host": _first(sa.select(User).where(User.email == "host1@roadshow.demo")),
        "reviewer": assignment.reviewer,
        "admin": _first(sa.select(User).where(User.email == "admin@roadshow.demo")),
    }
    ids = {
        "project_id": draft.id,  # unpublished: only its company (and admins) may see it
        "public_project_id": project.id,
        "session_id": slot.session_id,
        "booking_id": booking.id,
        "meeting_id": meeting.id,
        "deal_id": _first(sa.select(Deal).where(Deal.project_id == project.id)).id,
        "fund_id": _first(sa.select(Fund).where(Fund.institution_id == investor.institution_id)).id,
        "institution_id": investor.institution_id,
        "search_id": _first(sa.select(SavedSearch).where(SavedSearch.user_id == investor.id)).id,
        "request_id": _first(sa.select(AdvisorRequest)).id,
        "application_id": _first(sa.select(Application).where(Application.id == assignment.application_id)).id,
        "assignment_id": assignment.id,
        "token_id": token.id,
        "notification_id": note.id,
        "slot_id": slot.id,
        "availability_slot_id": availability.id,
        "user_id": startup_b.id,
        "reviewer_id": assignment.reviewer_id,
        "template_id": _first(sa.select(SessionTemplate)).id,
        "venue_id": _first(sa.select(Venue)).id,
        "series_id": _first(sa.select(Series)).id,
        "slug": _first(sa.select(Series)).slug,
    }
    db.session.commit()
    return {"people": people, "ids": ids}


def seeded_world(folder, migrated_template, prepare=None) -> tuple:
    """A database with the demo data and the world above (then `prepare()` if given), ready to copy per test:
    (folder, database file, world with people as emails)."""
    from roadshow import create_app
    from roadshow_demo.seed import seed_demo

    from .conftest import config_for

    db_file = folder / "seeded.sqlite3"
    app = create_app({**config_for(folder, db_file, template=migrated_template), "UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        seed_demo()
        db.session.commit()
        world = build_world()
        world["people"] = {role: user.email for role, user in world["people"].items()}
        if prepare is not None:
            prepare()
            db.session.commit()
        db.session.remove()
        db.engine.dispose()  # closing the last connection checkpoints SQLite's WAL into the file that is copied
    return folder, db_file, world


@contextmanager
def visiting(seeded: tuple, tmp_path, role: str):
    """(app, client, world): an app on a fresh copy of the seeded database, inside its app context, and a client
    signed in as `role` (or anonymous); the copy is dropped afterwards."""
    from roadshow import create_app

    from .conftest import IsolatedClient, config_for, databases

    folder, template, world = seeded
    db_file = tmp_path / "probe.sqlite3"
    app = create_app({**config_for(tmp_path, db_file, template=template), "UPLOAD_DIR": str(folder / "uploads")})
    app.test_client_class = IsolatedClient
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"email": world["people"][role], "password": "roadshow-demo-2026"})
        assert response.status_code == 302
    try:
        with app.app_context():
            try:
                yield app, client, world
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        databases.drop(db_file)
