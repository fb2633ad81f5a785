"""Partner organisers keep session templates for their own series and generate sessions from them; they host
their sessions themselves or ask one of the center's hosts."""
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.errors import FieldRuleViolation
from roadshow.common.timeutil import local_to_utc, to_local, utcnow
from roadshow.organisers import services as organiser_services
from roadshow.organisers.models import DecisionStatus, OrganiserMember, VenueRequest
from roadshow.roadshows.models import RoadshowSession, SessionStatus, Venue
from roadshow.scheduling import horizon
from roadshow.scheduling.models import HolidayPolicy, RuleKind, SessionTemplate

from ..support.factories import the_hall
from .conftest import session_form


def today():
    return to_local(utcnow()).date()


def template_form(series, venue, **changes) -> dict:
    data = {
        "name": "每周路演", "title_pattern": "{series} · {date}", "series_id": series.id, "venue_id": venue.id,
        "host_id": "", "rule": "weekly", "weekdays": ["0", "1", "2", "3", "4", "5", "6"], "month_week": "1",
        "month_weekday": "3", "on_holiday": "keep", "start_time": "14:00", "end_time": "16:00", "capacity": "40",
        "slots_count": "4", "pitch_minutes": "10", "qa_minutes": "10", "valid_from": today().isoformat(),
        "valid_until": "", "description": "", "is_active": "y",
    }
    data.update(changes)
    return data


def own_venue(db, organiser, name="高校成果转化报告厅") -> Venue:
    venue = Venue(name=name, capacity=100, organiser_id=organiser.id)
    db.session.add(venue)
    db.session.commit()
    return venue


def every_day_template(db, series, venue, name="每天的路演") -> SessionTemplate:
    template = SessionTemplate(
        name=name, title_pattern="{date} 路演", series_id=series.id, venue_id=venue.id, rule=RuleKind.WEEKLY,
        weekdays=list(range(7)), on_holiday=HolidayPolicy.KEEP, start_time=time(14), end_time=time(16), capacity=40,
        slots_count=4, valid_from=today())
    db.session.add(template)
    db.session.commit()
    return template


def sessions_of(db, series) -> list[RoadshowSession]:
    return list(db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.series_id == series.id)
                                   .order_by(RoadshowSession.starts_at)))


def test_an_organiser_keeps_a_template_for_its_own_series_and_generates_its_sessions(db, client, login, make_organiser):
    member, organiser, series = make_organiser("华中科技大学技术转移中心", "hust")
    _other, other_organiser, other_series = make_organiser("东湖高新区科技创新局", "ehtz")
    campus, theirs = own_venue(db, organiser), own_venue(db, other_organiser, "东湖区政务中心报告厅")
    login(member)
    new_page = client.get("/organise/templates/new").get_data(as_text=True)
    assert series.name in new_page and other_series.name not in new_page and theirs.name not in new_page

    # another organiser's series or venue: refused on the form, nothing saved
    page = client.post("/organise/templates/new", data=template_form(other_series, campus)).get_data(as_text=True)
    assert "invalid-feedback" in page
    page = client.post("/organise/templates/new", data=template_form(series, theirs)).get_data(as_text=True)
    assert "invalid-feedback" in page
    assert db.session.scalars(sa.select(SessionTemplate)).all() == []

    response = client.post("/organise/templates/new", data=template_form(series, campus))
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    template = db.session.scalars(sa.select(SessionTemplate)).one()
    assert template.series_id == series.id
    assert "每周路演" in client.get("/organise/templates").get_data(as_text=True)

    client.post(f"/organise/templates/{template.id}/generate")
    generated = sessions_of(db, series)
    assert len(generated) >= horizon.horizon_days()  # every day of the horizon still ahead
    assert {(s.venue_id, s.status) for s in generated} == {(campus.id, SessionStatus.OPEN)}  # its own hall: no request
    client.post(f"/organise/templates/{template.id}/generate")  # again: nothing doubled
    assert len(sessions_of(db, series)) == len(generated)
    assert generated[0].title in client.get("/organise/").get_data(as_text=True)  # on the organiser's desk


def test_a_template_in_a_center_hall_asks_for_the_hall_for_each_session_and_never_double_books(
        db, make_organiser, make_session):
    _member, organiser, series = make_organiser("东湖高新区科技创新局", "ehtz")
    hall = the_hall()
    db.session.add(hall)
    db.session.commit()
    taken_day = today() + timedelta(days=3)
    center = make_session(venue=hall, series=None, title="中心的路演",
                          starts_at=local_to_utc(datetime.combine(taken_day, time(15))),
                          ends_at=local_to_utc(datetime.combine(taken_day, time(17))))
    template = every_day_template(db, series, hall)

    counts = horizon.fill_template(template, days=7)
    db.session.commit()
    generated = sessions_of(db, series)
    days = {to_local(s.starts_at).date() for s in generated}
    assert taken_day not in days and counts["clashes"] == 1  # the hall is the center's then: that date is skipped
    assert len(generated) == counts["created"] >= 6
    assert {s.status for s in generated} == {SessionStatus.PLANNED}  # waiting for the center's answer
    requests = db.session.scalars(sa.select(VenueRequest)).all()
    assert sorted(r.session_id for r in requests) == sorted(s.id for s in generated)
    assert {(r.organiser_id, r.status) for r in requests} == {(organiser.id, DecisionStatus.PENDING)}
    db.session.refresh(center)
    assert center.series_id is None and center.status is not SessionStatus.CANCELLED  # not taken over


def test_the_nightly_fill_keeps_a_template_to_what_its_organiser_may_use(db, make_organiser):
    """A template whose venue became another organiser's (moved by hand in the database, or by an admin) makes
    no session there: the fill applies the organiser's scope, not only the form."""
    _member, organiser, series = make_organiser("华中科技大学技术转移中心", "hust")
    _other, other_organiser, _other_series = make_organiser("东湖高新区科技创新局", "ehtz")
    template = every_day_template(db, series, own_venue(db, other_organiser, "东湖区政务中心报告厅"))

    counts = horizon.fill_horizon(days=5)
    db.session.commit()
    assert sessions_of(db, series) == [] and counts["clashes"] >= 4
    assert template.is_active


def test_other_organisers_templates_answer_404_and_stay_as_they_are(db, client, login, make_organiser):
    member, _organiser, _series = make_organiser("华中科技大学技术转移中心", "hust")
    _other, other_organiser, other_series = make_organiser("东湖高新区科技创新局", "ehtz")
    template = every_day_template(db, other_series, own_venue(db, other_organiser, "东湖区政务中心报告厅"))
    login(member)
    assert client.get(f"/organise/templates/{template.id}/edit").status_code == 404
    for action in ("edit", "generate", "delete"):
        assert client.post(f"/organise/templates/{template.id}/{action}", data={"name": "改名"}).status_code == 404
    assert "东湖" not in client.get("/organise/templates").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SessionTemplate, template.id).name == "每天的路演"
    assert sessions_of(db, other_series) == []


def test_admin_template_pages_stay_the_centers(db, client, login, make_organiser):
    member, _organiser, _series = make_organiser("华中科技大学技术转移中心", "hust")
    login(member)
    assert client.get("/admin/templates").status_code == 403
    assert client.get("/admin/templates/new").status_code == 403


# --------------------------------------------------------------------------- hosts

def test_an_organiser_hosts_its_own_session_or_asks_a_center_host_but_nobody_elses_member(
        db, client, login, make_organiser, make_user):
    member, organiser, series = make_organiser("华中科技大学技术转移中心", "hust")
    colleague = make_user(Role.ORGANISER, email="colleague@example.com", name="同事")
    db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=colleague.id))
    center_host = make_user(Role.HOST, email="host@example.com", name="中心主持人")
    other_member, _other, _other_series = make_organiser("东湖高新区科技创新局", "ehtz")
    campus = own_venue(db, organiser)
    login(member)
    page = client.get(f"/organise/series/{series.id}/sessions/new").get_data(as_text=True)
    assert "colleague@example.com" in page and "host@example.com" in page and "ehtz@example.com" not in page

    starts = (utcnow() + timedelta(days=4)).replace(second=0, microsecond=0)
    response = client.post(f"/organise/series/{series.id}/sessions/new",
                           data={**session_form(series, campus, starts, "open"), "host_id": colleague.id})
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    session = sessions_of(db, series)[0]
    assert session.host_id == colleague.id
    client.post(f"/organise/sessions/{session.id}/edit",
                data={**session_form(series, campus, starts, "open"), "host_id": center_host.id})
    db.session.expire_all()
    assert session.host_id == center_host.id

    # another organiser's member is not a host it may name, whatever reaches the service
    with pytest.raises(FieldRuleViolation) as refused:
        organiser_services.create_session(organiser.id, member, **{
            "title": "路演", "series_id": series.id, "venue_id": campus.id, "host_id": other_member.id,
            "starts_at": starts + timedelta(days=1), "ends_at": starts + timedelta(days=1, hours=2), "capacity": 20,
            "status": SessionStatus.OPEN})
    assert refused.value.field == "host_id"
