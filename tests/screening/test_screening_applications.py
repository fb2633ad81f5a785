"""Applications to pitch: the startup applies and follows them; admins accept (approving the project) or reject with a reason."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Application, ApplicationStatus, SessionStatus, Slot
from roadshow.screening import services


@pytest.fixture
def startup(make_user, make_company):
    founder = make_user(Role.STARTUP)
    make_company(founder)
    return founder


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def applied(db, startup, make_project, make_series):
    """A submitted project applied to a series."""
    project = make_project(startup.company, ProjectStatus.SUBMITTED)
    application = services.apply(startup, project, series=make_series(), note="希望对接产业资本")
    db.session.commit()
    return application


def notes_of(db, user) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)))


def test_accepting_approves_the_project_and_queues_it(db, applied, admin, startup):
    services.accept(applied, admin)
    db.session.commit()
    assert applied.status == ApplicationStatus.ACCEPTED and applied.decided_at is not None
    assert applied.decided_by_id == admin.id
    assert applied.project.status == ProjectStatus.APPROVED  # submitted -> under review -> approved
    assert applied.project.decided_at is not None
    assert services.accepted_queue() == [applied]
    note, = notes_of(db, startup)
    assert note.kind == "application_decided" and "已入选" in note.title


def test_reject_requires_a_reason_the_startup_then_reads(db, applied, admin, startup, client, login):
    with pytest.raises(RuleViolation, match="请填写未入选的原因"):
        services.reject(applied, admin, "   ")
    db.session.rollback()
    assert applied.status == ApplicationStatus.PENDING and notes_of(db, startup) == []
    services.reject(applied, admin, "商业模式尚需验证，建议补充客户订单后再申请。")
    db.session.commit()
    assert applied.project.status == ProjectStatus.SUBMITTED  # the project itself is not rejected
    assert services.accepted_queue() == []
    login(startup)
    page = client.get("/screening/applications").get_data(as_text=True)
    assert "未入选" in page and "商业模式尚需验证" in page
    assert "路演申请未入选" in notes_of(db, startup)[0].title


def test_a_decision_is_made_once(db, applied, admin):
    services.accept(applied, admin)
    db.session.commit()
    with pytest.raises(RuleViolation, match="不能再次决定"):
        services.reject(applied, admin, "改主意了")


def test_a_project_rejected_in_screening_cannot_be_accepted(db, applied, admin):
    project = applied.project
    project.status = ProjectStatus.REJECTED
    db.session.commit()
    with pytest.raises(RuleViolation, match="不能入选路演"):
        services.accept(applied, admin)


def test_queue_is_first_accepted_first_and_excludes_slotted(db, admin, make_user, make_company, make_project,
                                                            make_series, make_session):
    series = make_series()
    applications = []
    for _ in range(3):
        founder = make_user(Role.STARTUP)
        project = make_project(make_company(founder), ProjectStatus.APPROVED)
        applications.append(services.apply(founder, project, series=series))
    db.session.commit()
    for application in reversed(applications):  # decided in reverse order
        services.accept(application, admin)
        db.session.commit()
    first_decided = applications[2]
    applications[2].decided_at -= timedelta(minutes=5)
    applications[1].decided_at -= timedelta(minutes=3)
    db.session.commit()
    assert services.accepted_queue() == [applications[2], applications[1], applications[0]]
    slot = Slot(session=make_session(), project=first_decided.project, position=1)
    db.session.add(slot)
    services.mark_slotted(first_decided, slot)
    db.session.commit()
    assert first_decided.project.status == ProjectStatus.SCHEDULED
    assert services.accepted_queue() == [applications[1], applications[0]]


def test_only_submitted_projects_of_ones_own_company_apply(db, startup, make_user, make_company, make_project,
                                                           make_series):
    series = make_series()
    draft = make_project(startup.company, ProjectStatus.DRAFT)
    with pytest.raises(RuleViolation, match="提交平台评审后才能申请"):
        services.apply(startup, draft, series=series)
    stranger = make_user(Role.STARTUP)
    make_company(stranger)
    with pytest.raises(PermissionDenied):
        services.apply(stranger, make_project(startup.company, ProjectStatus.APPROVED), series=series)


def test_one_application_in_flight_per_project(db, applied, admin, startup, make_series):
    with pytest.raises(RuleViolation, match="已有待筛选或待排期"):
        services.apply(startup, applied.project, series=make_series())
    db.session.rollback()
    services.accept(applied, admin)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已有待筛选或待排期"):  # accepted, still waiting for a slot
        services.apply(startup, applied.project, series=make_series())


def test_the_database_refuses_two_pending_applications_for_a_project(db, applied):
    db.session.add(Application(project_id=applied.project_id, series_id=applied.series_id))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_preferred_window_must_be_in_order(db, startup, make_project, make_series):
    project = make_project(startup.company, ProjectStatus.APPROVED)
    with pytest.raises(RuleViolation, match="结束日期不能早于开始日期"):
        services.apply(startup, project, series=make_series(),
                       preferred_from=date(2030, 5, 10), preferred_to=date(2030, 5, 1))


def test_applying_to_a_session_needs_one_that_takes_applications(db, startup, make_project, make_session):
    project = make_project(startup.company, ProjectStatus.APPROVED)
    with pytest.raises(RuleViolation, match="不再征集项目"):
        services.apply(startup, project, session=make_session(status=SessionStatus.SCHEDULED))
    db.session.rollback()
    open_session = make_session(status=SessionStatus.OPEN)
    application = services.apply(startup, project, session=open_session,
                                 preferred_from=date(2030, 1, 1), preferred_to=date(2030, 1, 2))
    assert application.session_id == open_session.id and application.preferred_from is None


def test_withdraw_only_while_pending(db, applied, admin, startup):
    services.withdraw(startup, applied)
    db.session.commit()
    assert applied.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(RuleViolation, match="不能撤回"):
        services.withdraw(startup, applied)


# --- pages ---------------------------------------------------------------------------------

def test_startup_applies_through_the_form_and_sees_it_listed(client, db, login, startup, make_project, make_series):
    project = make_project(startup.company, ProjectStatus.SUBMITTED)
    series = make_series(name="一月一链·光电子信息")
    login(startup)
    form = client.get("/screening/apply").get_data(as_text=True)
    assert "一月一链·光电子信息" in form and project.title in form
    response = client.post("/screening/apply", data={
        "project_id": project.id, "target": f"series:{series.id}",
        "preferred_from": "2030-03-02", "preferred_to": "2030-03-20", "note": "希望对接光电子方向的产业资本",
    }, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已提交路演申请" in page and "待筛选" in page and "03-02 至 03-20" in page
    application = db.session.scalars(sa.select(Application)).one()
    assert (application.preferred_from, application.preferred_to) == (date(2030, 3, 2), date(2030, 3, 20))


def test_apply_form_shows_messages_instead_of_failing(client, db, login, startup, make_project, make_series):
    project = make_project(startup.company, ProjectStatus.APPROVED)
    login(startup)
    page = client.post("/screening/apply", data={"project_id": project.id, "target": ""}).get_data(as_text=True)
    assert "请选择路演系列或场次" in page
    page = client.post("/screening/apply", data={
        "project_id": project.id, "target": f"series:{make_series().id}",
        "preferred_from": "2030-05-10", "preferred_to": "2030-05-01",
    }).get_data(as_text=True)
    assert "结束日期不能早于开始日期" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_session_page_offers_startups_to_apply(client, db, login, startup, make_project, make_session):
    make_project(startup.company, ProjectStatus.APPROVED)
    session = make_session(status=SessionStatus.OPEN)
    login(startup)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "申请参加本场路演" in page
    form = client.get(f"/screening/apply?session_id={session.id}").get_data(as_text=True)
    assert f'selected value="session:{session.id}"' in form


def test_apply_form_preselects_the_only_project(client, db, login, startup, make_project):
    project = make_project(startup.company, ProjectStatus.SUBMITTED)
    make_project(startup.company, ProjectStatus.DRAFT)  # a draft cannot apply: not a choice
    login(startup)
    form = client.get("/screening/apply").get_data(as_text=True)
    assert f'selected value="{project.id}"' in form
    make_project(startup.company, ProjectStatus.APPROVED)  # two candidates: the startup chooses
    assert 'selected value=""' in client.get("/screening/apply").get_data(as_text=True).split('name="target"')[0]


def test_project_card_says_applying_to_a_roadshow_is_the_next_step(client, db, login, startup, make_project,
                                                                     make_series):
    project = make_project(startup.company, ProjectStatus.SUBMITTED)
    login(startup)
    page = client.get("/my/projects").get_data(as_text=True)
    assert "下一步：申请路演" in page and f"/screening/apply?project_id={project.id}" in page
    assert "申请参加路演" in page  # the publishing steps list it too
    services.apply(startup, project, series=make_series())
    db.session.commit()
    page = client.get("/my/projects").get_data(as_text=True)
    assert "下一步：申请路演" not in page


def test_startup_withdraws_through_the_page_and_cannot_touch_others(client, db, login, applied, startup,
                                                                    make_user, make_company):
    other = make_user(Role.STARTUP)
    make_company(other)
    login(other)
    assert client.post(f"/screening/applications/{applied.id}/withdraw").status_code == 404
    client.post("/logout")
    login(startup)
    page = client.post(f"/screening/applications/{applied.id}/withdraw", follow_redirects=True).get_data(as_text=True)
    assert "已撤回申请" in page
    db.session.expire_all()
    assert db.session.get(Application, applied.id).status == ApplicationStatus.WITHDRAWN


def test_admin_decides_through_the_pages(client, db, login, applied, admin):
    login(admin)
    listing = client.get("/screening/admin/applications").get_data(as_text=True)
    assert applied.project.title in listing
    page = client.post(f"/screening/admin/applications/{applied.id}/reject", data={"reason": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "请填写未入选的原因" in page
    page = client.post(f"/screening/admin/applications/{applied.id}/accept", data={"note": "安排在光电子专场"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已入选" in page
    queue = client.get("/screening/admin/applications?status=queue").get_data(as_text=True)
    assert applied.project.title in queue


def test_a_training_lesson_takes_no_pitch_applications(db, startup, make_project, make_series, make_session):
    """A capital-markets training series' sessions are lessons for startups: neither they nor the series are
    offered as a target for a pitch, and applying to them is refused with a message on the target field."""
    from roadshow.roadshows.models import SeriesKind

    training = make_series(kind=SeriesKind.TRAINING)
    lesson = make_session(series=training, status=SessionStatus.OPEN)
    roadshow = make_session(series=make_series(), status=SessionStatus.OPEN)
    offered = services.open_sessions()
    assert roadshow in offered and lesson not in offered
    assert training not in services.all_series()
    project = make_project(startup.company, ProjectStatus.SUBMITTED)
    for target in ({"session": lesson}, {"series": training}):
        with pytest.raises(RuleViolation):
            services.apply(startup, project, **target)
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0
