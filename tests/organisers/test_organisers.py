"""Partner organisers: apply, the center decides, then they run their own series and nothing else."""
from datetime import timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.checkin.services import check_in
from roadshow.common.timeutil import utcnow
from roadshow.organisers.models import DecisionStatus, Organiser, OrganiserKind, OrganiserMember, VenueRequest
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows import services as roadshow_services
from roadshow.roadshows.models import Application, ApplicationStatus, RoadshowSession, Series, SessionStatus, Venue
from roadshow.screening import services as screening

from ..support.factories import the_hall
from .conftest import session_form


def audited(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_an_organisation_applies_is_approved_and_runs_its_own_series(db, client, login, switch_to, make_user, admin):
    applicant = make_user(Role.STARTUP, email="kjj@example.com")
    login(applicant)
    assert client.get("/organise/").status_code == 403  # not an organiser yet
    response = client.post("/organise/apply", data={
        "name": "东湖高新区科技创新局", "kind": "district", "contact_name": "周敏", "contact_phone": "027-1234",
        "contact_email": "zm@example.com", "intro": "按季度举办专精特新企业路演。"})
    assert response.status_code == 302
    organiser = db.session.scalars(sa.select(Organiser)).one()
    assert organiser.status is DecisionStatus.PENDING and organiser.applied_by_id == applicant.id
    assert "已提交申请" in client.get("/organise/apply").get_data(as_text=True)

    switch_to(admin)
    assert "东湖高新区科技创新局" in client.get("/admin/organisers/").get_data(as_text=True)
    client.post(f"/admin/organisers/{organiser.id}/approve")
    db.session.expire_all()
    assert organiser.status is DecisionStatus.APPROVED and organiser.decided_by_id == admin.id
    assert applicant.has_role(Role.ORGANISER) and db.session.get(OrganiserMember, applicant.id).organiser_id == organiser.id
    assert [e.target_id for e in audited(db, "organiser.approve")] == [organiser.id]

    switch_to(applicant)
    client.post("/organise/series/new", data={"name": "东湖专精特新路演", "slug": "ehtz", "kind": "srdi",
                                              "industry_chain": "", "description": ""})
    series = db.session.scalars(sa.select(Series).where(Series.slug == "ehtz")).one()
    assert series.organiser_id == organiser.id
    client.post("/organise/venues", data={"name": "东湖区政务中心报告厅", "address": "高新大道", "capacity": 150,
                                          "description": ""})
    own = db.session.scalars(sa.select(Venue).where(Venue.name == "东湖区政务中心报告厅")).one()
    assert own.organiser_id == organiser.id and not own.is_online
    starts = (utcnow() + timedelta(days=5)).replace(second=0, microsecond=0)
    response = client.post(f"/organise/series/{series.id}/sessions/new", data=session_form(series, own, starts, "open"))
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    session = db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.series_id == series.id)).one()
    assert session.status is SessionStatus.OPEN  # its own venue: nobody to ask
    assert db.session.scalars(sa.select(VenueRequest)).all() == []
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "东湖高新区科技创新局" in page  # public pages say who organises


def test_declining_an_organisation_needs_a_reason_and_is_audited(db, client, login, make_user, admin):
    applicant = make_user(Role.STARTUP)
    organiser = Organiser(name="某省外路演中心", kind=OrganiserKind.OUT_OF_PROVINCE, contact_name="王", applied_by_id=applicant.id)
    db.session.add(organiser)
    db.session.commit()
    login(admin)
    client.post(f"/admin/organisers/{organiser.id}/decline", data={"reason": " "})
    db.session.expire_all()
    assert organiser.status is DecisionStatus.PENDING and audited(db, "organiser.decline") == []
    client.post(f"/admin/organisers/{organiser.id}/decline", data={"reason": "材料不全"})
    db.session.expire_all()
    assert organiser.status is DecisionStatus.DECLINED and organiser.decision_reason == "材料不全"
    assert len(audited(db, "organiser.decline")) == 1
    assert not applicant.has_role(Role.ORGANISER)
    client.post(f"/admin/organisers/{organiser.id}/approve")  # decided already: nothing changes
    db.session.expire_all()
    assert organiser.status is DecisionStatus.DECLINED and audited(db, "organiser.approve") == []


def test_a_center_hall_is_a_venue_request_and_never_double_booked(db, client, login, switch_to, make_organiser, admin):
    district, _org_a, series_a = make_organiser("东湖高新区科技创新局", "ehtz")
    university, _org_b, series_b = make_organiser("华中科技大学技术转移中心", "hust")
    hall = the_hall()
    db.session.add(hall)
    db.session.commit()
    starts = (utcnow() + timedelta(days=6)).replace(second=0, microsecond=0)
    login(district)
    # opening before the center said yes is refused
    page = client.post(f"/organise/series/{series_a.id}/sessions/new", data=session_form(series_a, hall, starts, "open"))
    assert "场地申请获批之前" in page.get_data(as_text=True)
    client.post(f"/organise/series/{series_a.id}/sessions/new", data=session_form(series_a, hall, starts))
    session = db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.series_id == series_a.id)).one()
    request = db.session.scalars(sa.select(VenueRequest)).one()
    assert (request.session_id, request.status) == (session.id, DecisionStatus.PENDING)

    # another organiser cannot take the same hall at an overlapping time, even while the request waits
    switch_to(university)
    page = client.post(f"/organise/series/{series_b.id}/sessions/new",
                       data=session_form(series_b, hall, starts + timedelta(hours=1), title="高校路演"))
    assert "该场地在这段时间已有路演" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoadshowSession)) == 1

    switch_to(admin)
    waiting = client.get("/admin/organisers/").get_data(as_text=True)
    assert "科技成果路演" in waiting and f"/admin/organisers/venue-requests/{request.id}/approve" in waiting
    client.post(f"/admin/organisers/venue-requests/{request.id}/approve")
    db.session.expire_all()
    assert request.status is DecisionStatus.APPROVED and len(audited(db, "venue_request.approve")) == 1
    switch_to(district)
    edit_page = client.get(f"/organise/sessions/{session.id}/edit").get_data(as_text=True)
    for link in (f"/sessions/{session.id}/registrations", f"/sessions/{session.id}/questions"):
        assert link in edit_page
    client.post(f"/organise/sessions/{session.id}/edit", data=session_form(series_a, hall, starts, "open"))
    db.session.expire_all()
    assert session.status is SessionStatus.OPEN


def test_declining_a_venue_request_cancels_the_session_and_frees_the_hall(db, client, login, switch_to, make_organiser,
                                                                          admin):
    district, _org, series = make_organiser("东湖高新区科技创新局", "ehtz")
    hall = the_hall()
    db.session.add(hall)
    db.session.commit()
    starts = (utcnow() + timedelta(days=6)).replace(second=0, microsecond=0)
    login(district)
    client.post(f"/organise/series/{series.id}/sessions/new", data=session_form(series, hall, starts))
    request = db.session.scalars(sa.select(VenueRequest)).one()
    switch_to(admin)
    client.post(f"/admin/organisers/venue-requests/{request.id}/decline", data={"reason": "当天有重要接待"})
    db.session.expire_all()
    assert request.status is DecisionStatus.DECLINED
    assert request.session.status is SessionStatus.CANCELLED and "当天有重要接待" in request.session.cancellation_reason
    assert len(audited(db, "venue_request.decline")) == 1
    switch_to(district)  # the hall is free again
    client.post(f"/organise/series/{series.id}/sessions/new", data=session_form(series, hall, starts, title="改期路演"))
    assert db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.title == "改期路演")).one()


def test_an_organiser_screens_applications_to_its_series_only(db, client, login, make_organiser, make_user,
                                                              make_company, make_project):
    district, _org, series = make_organiser("东湖高新区科技创新局", "ehtz")
    _other, _org_b, their_series = make_organiser("华中科技大学技术转移中心", "hust")
    founder = make_user(Role.STARTUP)
    make_company(founder)
    ours = screening.apply(founder, make_project(founder.company, ProjectStatus.SUBMITTED), series=series)
    db.session.commit()
    founder_b = make_user(Role.STARTUP)
    make_company(founder_b)
    theirs = screening.apply(founder_b, make_project(founder_b.company, ProjectStatus.SUBMITTED), series=their_series)
    db.session.commit()
    login(district)
    page = client.get("/organise/").get_data(as_text=True)
    assert ours.project.title in page and theirs.project.title not in page
    client.post(f"/organise/applications/{ours.id}/accept", data={"note": ""})
    assert client.post(f"/organise/applications/{theirs.id}/accept", data={"note": ""}).status_code == 404
    db.session.expire_all()
    assert ours.status is ApplicationStatus.ACCEPTED and ours.decided_by_id == district.id
    assert theirs.status is ApplicationStatus.PENDING


def test_an_organiser_gets_404_for_other_organisers_series_and_no_admin_pages(db, client, login, make_organiser,
                                                                              make_series, make_session):
    district, _org, _series = make_organiser("东湖高新区科技创新局", "ehtz")
    _other, _org_b, their_series = make_organiser("华中科技大学技术转移中心", "hust")
    their_session = make_session(series=their_series)
    centers_series = make_series()
    login(district)
    for url in (f"/organise/series/{their_series.id}/edit", f"/organise/series/{their_series.id}/sessions/new",
                f"/organise/sessions/{their_session.id}/edit", f"/organise/series/{centers_series.id}/edit"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"name": "改名", "slug": "x", "kind": "srdi", "title": "改名"}).status_code == 404
    db.session.expire_all()
    assert their_series.name == "华中科技大学技术转移中心路演" and their_session.title != "改名"
    for url in ("/admin/institutions", "/admin/organisers/", "/admin/official-lists/", "/admin/sessions/new"):
        assert client.get(url).status_code in (403, 404), url


def test_an_organiser_sees_bookings_and_check_ins_of_its_own_sessions(db, client, login, make_organiser, make_user,
                                                                      make_session):
    district, _organiser, series = make_organiser("东湖高新区科技创新局", "ehtz")
    _other, _b, other_series = make_organiser("华中科技大学技术转移中心", "hust")
    ours, theirs = make_session(title="区内专场"), make_session(title="高校专场")
    ours.series, theirs.series = series, other_series
    db.session.commit()
    came, stayed_away = (roadshow_services.book_seat(ours, make_user(Role.INVESTOR)) for _ in range(2))
    roadshow_services.book_seat(theirs, make_user(Role.INVESTOR))
    db.session.commit()
    check_in(ours, came.checkin_code, district)
    db.session.commit()

    login(district)
    page = client.get("/organise/").get_data(as_text=True)
    assert "1 场 · 预约 2 · 签到 1" in page  # its series
    assert "区内专场" in page and "1 / 2" in page and "高校专场" not in page  # per session, its own only


def test_the_organiser_desk_counts_sessions_in_english_grammar(db, client, login, make_organiser, make_session):
    district, _organiser, series = make_organiser("东湖高新区科技创新局", "ehtz")
    make_session(title="区内专场").series = series
    db.session.commit()
    login(district)
    client.get("/lang/en")
    assert "1 session · 0 booked · 0 checked in" in client.get("/organise/").get_data(as_text=True)
