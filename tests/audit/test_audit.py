"""The audit log records admin decisions and deck downloads with who, when and what; refusals leave no entry."""
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.projects import decks
from roadshow.projects.models import ProjectStatus
from roadshow.screening import services as screening

from ..conftest import pdf_bytes


def entries(db):
    return db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()


def test_admin_decisions_are_recorded_and_refusals_are_not(client, db, make_user, make_institution, make_company,
                                                           make_project, login):
    admin = make_user(Role.ADMIN, name="审核员王")
    institution = make_institution(verified=False)
    project = make_project(make_company(), status=ProjectStatus.UNDER_REVIEW)
    login(admin)
    client.post(f"/admin/institutions/{institution.id}/verify")
    client.post(f"/admin/reviews/{project.id}/reject", data={"reason": ""})  # refused: a reason is required
    client.post(f"/admin/reviews/{project.id}/reject", data={"reason": "财务数据不完整"})
    log = entries(db)
    assert [(e.action, e.actor_name, e.target_id) for e in log] == [
        ("institution.verify", "审核员王", institution.id),
        ("project.reject", "审核员王", project.id),
    ]
    assert "财务数据不完整" in log[1].summary and log[1].ip == "127.0.0.1"


def test_role_changes_and_disabling_are_recorded(client, db, make_user, login):
    admin, other = make_user(Role.ADMIN), make_user(Role.STARTUP)
    login(admin)
    client.post(f"/admin/users/{other.id}/roles", data={f"u{other.id}-roles": ["startup", "reviewer"]})
    client.post(f"/admin/users/{other.id}/toggle")
    assert [e.action for e in entries(db)] == ["user.roles", "user.disable"]


def test_deck_downloads_are_recorded(app, client, db, make_user, make_company, make_project, login):
    company = make_company()
    project = make_project(company, status=ProjectStatus.APPROVED)
    stored = decks.write_deck(pdf_bytes(), 1)
    project.deck_file, project.deck_pages, project.deck_size = stored.file_name, 1, stored.size
    db.session.commit()
    investor = make_user(Role.INVESTOR, name="投资人李")
    login(investor)
    assert client.get(f"/projects/{project.id}/deck").status_code == 200
    assert [(e.action, e.actor_name) for e in entries(db)] == [("deck.download", "投资人李")]


def test_audit_page_is_admin_only_and_filters_by_action(client, db, make_user, make_institution, login):
    admin = make_user(Role.ADMIN)
    institution = make_institution(verified=False)
    login(admin)
    client.post(f"/admin/institutions/{institution.id}/verify")
    client.post(f"/admin/users/{make_user().id}/toggle")
    page = client.get("/admin/audit/?action=institution.verify").get_data(as_text=True)
    assert institution.name in page and "停用账号" not in page.split("<tbody>")[1]
    client.post("/logout")
    login(make_user(Role.REVIEWER))
    assert client.get("/admin/audit/").status_code == 403


def test_accepting_an_application_audits_the_decision_and_the_approval_it_implies(client, db, make_user, make_company,
                                                                                   make_project, make_series, login):
    """The screening page for applications approves the project too: one entry per decision, by the admin."""
    founder, admin = make_user(Role.STARTUP), make_user(Role.ADMIN, name="审核员王")
    project = make_project(make_company(founder), status=ProjectStatus.SUBMITTED)
    application = screening.apply(founder, project, series=make_series())
    db.session.commit()
    login(admin)
    client.post(f"/screening/admin/applications/{application.id}/accept")
    client.post(f"/screening/admin/applications/{application.id}/accept")  # refused: already decided
    assert [(e.action, e.actor_name, e.target_id) for e in entries(db)] == [
        ("application.accept", "审核员王", application.id),
        ("project.review", "审核员王", project.id),
        ("project.approve", "审核员王", project.id),
    ]


def test_decisions_taken_outside_a_request_are_audited_alike(db, make_user, make_company, make_project, make_series):
    """A job or the command line accepting an application leaves the entries the page leaves."""
    founder, admin = make_user(Role.STARTUP), make_user(Role.ADMIN, name="审核员王")
    project = make_project(make_company(founder), status=ProjectStatus.UNDER_REVIEW)
    application = screening.apply(founder, project, series=make_series())
    screening.accept(application, admin)
    db.session.commit()
    assert [(e.action, e.actor_name, e.ip) for e in entries(db)] == [
        ("application.accept", "审核员王", None), ("project.approve", "审核员王", None)]


def test_a_reviewer_account_made_by_a_partner_organiser_is_recorded_once(client, db, make_user, login):
    """Adding an existing reviewer to an organiser's pool makes no account and is not logged; a refusal neither."""
    from roadshow.organisers.models import DecisionStatus, Organiser, OrganiserKind, OrganiserMember

    member = make_user(Role.ORGANISER)
    organiser = Organiser(name="华中科技大学技术转移中心", kind=OrganiserKind.UNIVERSITY, contact_name="吴",
                          status=DecisionStatus.APPROVED)
    db.session.add(organiser)
    db.session.flush()
    db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=member.id))
    make_user(Role.REVIEWER, email="expert@example.com")
    make_user(Role.STARTUP, email="founder@example.com")
    db.session.commit()
    login(member)
    for email in ("expert@example.com", "founder@example.com", "new@example.com", "new@example.com"):
        client.post("/organise/reviewers", data={"email": email, "name": "专家"})
    assert [(e.action, e.actor_id, e.summary) for e in entries(db)] == [
        ("organiser.reviewer_invite", member.id, "华中科技大学技术转移中心：new@example.com")]
