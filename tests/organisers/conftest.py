"""Partner organisers in tests: an approved organiser with a member and a series, and the session form they post."""
from datetime import datetime, timedelta

import pytest

from roadshow.accounts.models import Role
from roadshow.common.timeutil import to_local
from roadshow.organisers.models import DecisionStatus, Organiser, OrganiserKind, OrganiserMember
from roadshow.roadshows.models import Series, Venue


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.com")


@pytest.fixture
def make_organiser(db, make_user):
    """An approved organiser with one member account and one series of its own."""
    def make(name: str, slug: str):
        member = make_user(Role.ORGANISER, email=f"{slug}@example.com")
        organiser = Organiser(name=name, kind=OrganiserKind.DISTRICT, contact_name="联系人", status=DecisionStatus.APPROVED)
        db.session.add(organiser)
        db.session.flush()
        db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=member.id))
        series = Series(name=f"{name}路演", slug=slug, kind="srdi", organiser_id=organiser.id)
        db.session.add(series)
        db.session.commit()
        return member, organiser, series
    return make


def local(dt: datetime) -> str:
    return to_local(dt).strftime("%Y-%m-%dT%H:%M")


def session_form(series: Series, venue: Venue, starts_at: datetime, status: str = "planned", title: str = "科技成果路演"):
    return {"title": title, "series_id": series.id, "venue_id": venue.id, "host_id": "", "industry_chain": "",
            "starts_at": local(starts_at), "ends_at": local(starts_at + timedelta(hours=2)), "capacity": 40,
            "status": status, "description": ""}


