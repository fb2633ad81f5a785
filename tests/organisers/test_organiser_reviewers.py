"""Partner organisers screen applications to their series with their own reviewers, as an event's review team:
they build a pool by email, assign from it, and decide from the scores; nothing of another organiser's."""
import re

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.notifications.models import Notification, OutboxEmail
from roadshow.organisers.models import OrganiserReviewer
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import ApplicationStatus
from roadshow.screening import services as screening
from roadshow.screening.models import ReviewAssignment

STRONG = "Reviewer-pass-2026!"


def pool_of(db, organiser) -> set[int]:
    return set(db.session.scalars(sa.select(OrganiserReviewer.user_id)
                                  .where(OrganiserReviewer.organiser_id == organiser.id)))


def an_application(db, make_user, make_company, make_project, series):
    founder = make_user(Role.STARTUP)
    make_company(founder)
    application = screening.apply(founder, make_project(founder.company, ProjectStatus.SUBMITTED), series=series)
    db.session.commit()
    return application


def test_an_organiser_builds_its_own_reviewer_pool_by_email(db, client, login, switch_to, make_organiser, make_user):
    member, organiser, _series = make_organiser("华中科技大学技术转移中心", "hust")
    expert = make_user(Role.REVIEWER, email="expert@example.com", name="李教授")
    founder = make_user(Role.STARTUP, email="founder@example.com")
    login(member)

    # a new address: a reviewer account, and an email to set its password
    response = client.post("/organise/reviewers", data={"email": "New.Expert@Example.com", "name": "王研究员"})
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    invited = db.session.scalars(sa.select(User).where(User.email == "new.expert@example.com")).one()
    assert invited.has_role(Role.REVIEWER) and invited.roles == {Role.REVIEWER} and invited.name == "王研究员"
    email = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == invited.email)).one()
    assert "华中科技大学技术转移中心" in email.subject
    # an existing reviewer joins as they are, told in the app
    client.post("/organise/reviewers", data={"email": "expert@example.com", "name": "别的名字"})
    db.session.expire_all()
    assert expert.name == "李教授" and pool_of(db, organiser) == {invited.id, expert.id}
    assert db.session.scalars(sa.select(Notification).where(Notification.user_id == expert.id)).all()
    # an account of another kind is refused: an organiser gives nobody a role; twice is refused too
    page = client.post("/organise/reviewers", data={"email": "founder@example.com", "name": "创始人"})
    assert "不是评审专家" in page.get_data(as_text=True)
    page = client.post("/organise/reviewers", data={"email": "expert@example.com", "name": "李教授"})
    assert "已在评审库中" in page.get_data(as_text=True)
    db.session.expire_all()
    assert founder.roles == {Role.STARTUP} and pool_of(db, organiser) == {invited.id, expert.id}
    pool_page = client.get("/organise/reviewers").get_data(as_text=True)
    assert "王研究员" in pool_page and "李教授" in pool_page

    # the invitation's link sets the password; the new reviewer then signs in to an empty work list
    link = re.search(r"https?://\S+/password/reset/\S+", email.body).group(0)
    client.post("/logout")
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(f"/{path}", data={"password": STRONG, "confirm": STRONG})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(invited, STRONG)
    assert client.get("/screening/reviews").status_code == 200

    switch_to(member)
    client.post(f"/organise/reviewers/{expert.id}/remove")
    assert pool_of(db, organiser) == {invited.id}


def test_an_organiser_assigns_its_own_reviewers_and_decides_from_their_scores(
        db, client, login, switch_to, make_organiser, make_user, make_company, make_project):
    member, organiser, series = make_organiser("东湖高新区科技创新局", "ehtz")
    application = an_application(db, make_user, make_company, make_project, series)
    ours = make_user(Role.REVIEWER, email="ours@example.com", name="区内专家")
    centers = make_user(Role.REVIEWER, email="centers@example.com", name="中心专家")
    db.session.add(OrganiserReviewer(organiser_id=organiser.id, user_id=ours.id))
    db.session.commit()
    login(member)
    page = client.get(f"/organise/applications/{application.id}").get_data(as_text=True)
    assert "区内专家" in page and "中心专家" not in page  # candidates come from the organiser's own pool

    client.post(f"/organise/applications/{application.id}/assign", data={"reviewer_id": centers.id})
    assert db.session.scalars(sa.select(ReviewAssignment)).all() == []  # not in the pool: refused
    client.post(f"/organise/applications/{application.id}/assign", data={"reviewer_id": ours.id})
    assignment = db.session.scalars(sa.select(ReviewAssignment)).one()
    assert (assignment.reviewer_id, assignment.assigned_by_id) == (ours.id, member.id)

    switch_to(ours)
    assert application.project.title in client.get("/screening/reviews").get_data(as_text=True)
    response = client.post(f"/screening/reviews/{assignment.id}", data={
        "technology": 5, "market": 4, "team": 4, "financing_fit": 3, "comment": "技术扎实"})
    assert response.status_code == 302
    switch_to(centers)
    assert client.get(f"/screening/reviews/{assignment.id}").status_code == 404  # only what is assigned to them

    switch_to(member)
    page = client.get(f"/organise/applications/{application.id}").get_data(as_text=True)
    assert "4.00" in page and "技术扎实" in page
    assert "4.00" in client.get("/organise/").get_data(as_text=True)  # the desk shows the score beside it
    client.post(f"/organise/applications/{application.id}/accept", data={"note": "评分优秀"})
    db.session.expire_all()
    assert application.status is ApplicationStatus.ACCEPTED and application.decided_by_id == member.id


def test_another_organisers_applications_reviewers_and_assignments_answer_404(
        db, client, login, make_organiser, make_user, make_company, make_project):
    member, organiser, _series = make_organiser("华中科技大学技术转移中心", "hust")
    _other, other_organiser, their_series = make_organiser("东湖高新区科技创新局", "ehtz")
    theirs = an_application(db, make_user, make_company, make_project, their_series)
    ours, their_reviewer = make_user(Role.REVIEWER), make_user(Role.REVIEWER, name="东湖的专家")
    db.session.add_all([OrganiserReviewer(organiser_id=organiser.id, user_id=ours.id),
                        OrganiserReviewer(organiser_id=other_organiser.id, user_id=their_reviewer.id)])
    assignment = ReviewAssignment(application_id=theirs.id, reviewer_id=their_reviewer.id)
    db.session.add(assignment)
    db.session.commit()
    login(member)
    assert client.get(f"/organise/applications/{theirs.id}").status_code == 404
    assert client.post(f"/organise/applications/{theirs.id}/assign", data={"reviewer_id": ours.id}).status_code == 404
    assert client.post(f"/organise/assignments/{assignment.id}/remove").status_code == 404
    assert client.post(f"/organise/reviewers/{their_reviewer.id}/remove").status_code == 404
    assert their_reviewer.name not in client.get("/organise/reviewers").get_data(as_text=True)
    db.session.expire_all()
    assert [(a.application_id, a.reviewer_id) for a in db.session.scalars(sa.select(ReviewAssignment))] == [
        (theirs.id, their_reviewer.id)]
    assert pool_of(db, other_organiser) == {their_reviewer.id} and theirs.status is ApplicationStatus.PENDING
