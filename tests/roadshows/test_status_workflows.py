"""Projects and applications move through their state machines: decisions are audited whichever path
makes them, and a status read before someone else changed it is refused, never written over."""
import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.common.errors import RuleViolation
from roadshow.projects import services as projects
from roadshow.projects.models import Project, ProjectStatus as P
from roadshow.roadshows.models import Application, ApplicationStatus as A
from roadshow.screening import services as screening


def audit_log(db) -> list[tuple[str, str, int]]:
    return [(e.action, e.actor_name, e.target_id)
            for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def behind_its_back(db, model, row_id: int, status) -> None:
    """Another request changes the row's status after this one read it (the object keeps the old value)."""
    db.session.execute(sa.update(model).where(model.id == row_id).values(status=status)
                       .execution_options(synchronize_session=False))


@pytest.fixture
def applications(db, make_user, make_company, make_project, make_series):
    """Two submitted projects, each applied to a series."""
    series, made = make_series(), []
    for _ in range(2):
        founder = make_user(Role.STARTUP)
        project = make_project(make_company(founder), P.SUBMITTED)
        made.append(screening.apply(founder, project, series=series))
    db.session.commit()
    return made


def test_screening_decisions_on_applications_are_audited_through_the_admin_pages(
        client, db, login, make_user, applications):
    admin = make_user(Role.ADMIN, name="审核员周")
    login(admin)
    taken, refused = applications
    client.post(f"/screening/admin/applications/{taken.id}/accept", data={"note": "产业链匹配"})
    client.post(f"/screening/admin/applications/{refused.id}/reject", data={"reason": ""})  # refused: no reason
    client.post(f"/screening/admin/applications/{refused.id}/reject", data={"reason": "尚无客户订单"})
    db.session.expire_all()
    assert (taken.status, refused.status) == (A.ACCEPTED, A.REJECTED)
    decisions = [row for row in audit_log(db) if row[0].startswith("application.")]
    assert decisions == [("application.accept", "审核员周", taken.id), ("application.reject", "审核员周", refused.id)]
    # accepting also approved the project, recorded as the same admin's decision (tests/test_audit.py)
    assert ("project.approve", "审核员周", taken.project_id) in audit_log(db)
    assert "尚无客户订单" in db.session.scalars(sa.select(AuditEntry.summary).order_by(AuditEntry.id.desc())).first()


def test_an_application_withdrawn_meanwhile_is_not_accepted_over_it(db, make_user, applications):
    application = applications[0]
    behind_its_back(db, Application, application.id, A.WITHDRAWN)
    with pytest.raises(RuleViolation, match="这份申请已是“已撤回”，不能再次决定"):
        screening.accept(application, make_user(Role.ADMIN))
    db.session.expire_all()
    assert application.status == A.WITHDRAWN and application.decided_at is None


def test_a_project_rejected_meanwhile_by_another_admin_is_not_approved_over_it(db, make_company, make_project):
    project = make_project(make_company(), P.UNDER_REVIEW)
    behind_its_back(db, Project, project.id, P.REJECTED)
    assert project.status == P.UNDER_REVIEW  # the stale read
    with pytest.raises(RuleViolation, match="项目的状态刚被更改为“未通过”"):
        projects.change_status(project, P.APPROVED)
    db.session.expire_all()
    assert project.status == P.REJECTED and project.decided_at is None


def test_an_illegal_project_step_names_both_statuses(db, make_company, make_project):
    project = make_project(make_company(), P.PRESENTED)
    with pytest.raises(RuleViolation, match="项目不能从“已路演”变为“已排期”"):
        projects.change_status(project, P.SCHEDULED)
