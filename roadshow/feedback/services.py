"""After a roadshow: attendees' feedback per project, and the startup's digest of the room.

When a session ends (the `session_status_changed` signal), every attendee is asked for a short answer
per project that pitched, and each presenting startup is told its digest is open. Answers can be edited
until FEEDBACK_WINDOW after the end. The digest shows how many investors came, the questions asked and,
so that nobody is singled out, the aggregated answers only when they cannot be traced to one investor;
an answer appears individually only when its investor consented.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..checkin.services import attendee_list
from ..common.errors import PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..live.models import Question
from ..matching.profiles import COUNTED_QUESTIONS
from ..notifications.services import notify
from ..projects.models import Project
from ..roadshows.models import Booking, BookingStatus, RoadshowSession, SessionStatus, Slot
from .models import FEEDBACK_WINDOW, NOTE_MAX, Concern, Feedback, InterestLevel
from .policies import can_give_feedback

MIN_AGGREGATE = 3  # fewer answers than this (or than this many private ones) and the totals stay hidden


def deadline(session: RoadshowSession):
    return session.ends_at + FEEDBACK_WINDOW


def is_open(session: RoadshowSession) -> bool:
    return session.status.is_ended and utcnow() <= deadline(session)


def pitched_projects(session: RoadshowSession) -> list[Project]:
    return [slot.project for slot in session.slots]


def pitched_project(session: RoadshowSession, project_id: int) -> Project | None:
    """The project with that id if it pitched in the session."""
    return next((p for p in pitched_projects(session) if p.id == project_id), None)


def attendees(session: RoadshowSession) -> list[User]:
    """Investors with a confirmed seat, as the form's audience."""
    users = db.session.scalars(
        sa.select(User).join(Booking, Booking.user_id == User.id)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED).order_by(User.id)
    )
    return [u for u in users if u.has_role(Role.INVESTOR) and not u.is_disabled]


def answer_of(user: User, session: RoadshowSession, project: Project) -> Feedback | None:
    return db.session.scalar(sa.select(Feedback).where(
        Feedback.session_id == session.id, Feedback.project_id == project.id, Feedback.investor_id == user.id))


@dataclass
class SessionForms:
    """An attended session on the investor's list: each project with the answer given, if any."""
    session: RoadshowSession
    answers: list[tuple[Project, Feedback | None]]

    @property
    def open(self) -> bool:
        return is_open(self.session)

    @property
    def deadline(self):
        return deadline(self.session)

    @property
    def missing(self) -> int:
        return sum(answer is None for _, answer in self.answers)


def forms_for(user: User) -> list[SessionForms]:
    """The ended sessions the investor attended, latest first, with their projects and the answers given."""
    sessions = db.session.scalars(
        sa.select(RoadshowSession).join(Booking, Booking.session_id == RoadshowSession.id)
        .where(Booking.user_id == user.id, Booking.status == BookingStatus.CONFIRMED,
               RoadshowSession.status == SessionStatus.ENDED,
               RoadshowSession.id.in_(sa.select(Slot.session_id)))
        .order_by(RoadshowSession.ends_at.desc())
    ).all()
    given = {(f.session_id, f.project_id): f for f in db.session.scalars(
        sa.select(Feedback).where(Feedback.investor_id == user.id))}
    return [SessionForms(s, [(p, given.get((s.id, p.id))) for p in pitched_projects(s)]) for s in sessions]


def my_feedback(user: User) -> list[Feedback]:
    return list(db.session.scalars(
        sa.select(Feedback).where(Feedback.investor_id == user.id).order_by(Feedback.updated_at.desc(), Feedback.id)))


def save_feedback(user: User, session: RoadshowSession, project: Project, *, interest: str,
                  concerns: list[str] = (), note: str = "", shared: bool = False) -> Feedback:
    """Give or change the investor's answer about one project of a session they attended, until the deadline."""
    if not can_give_feedback(user, session):
        raise PermissionDenied(_("只有参加了本场路演的投资人可以反馈。"))
    if project.id not in {p.id for p in pitched_projects(session)}:
        raise RuleViolation(_("该项目没有在本场路演中路演。"))
    if not is_open(session):
        raise RuleViolation(_("本场路演的反馈已于 %(deadline)s 截止。", deadline=deadline(session).date().isoformat()))
    if interest not in {i.value for i in InterestLevel}:
        raise RuleViolation(_("请选择您对项目的兴趣程度。"))
    known = [c.value for c in Concern]
    if any(c not in known for c in concerns):
        raise RuleViolation(_("请从列出的顾虑中选择。"))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RuleViolation(_("补充说明不能超过 %(n)d 个字。", n=NOTE_MAX))
    values = {"interest": InterestLevel(interest), "concerns": [c for c in known if c in concerns],
              "note": note, "shared": bool(shared)}
    answer = answer_of(user, session, project)
    if answer is None:
        answer = Feedback(session_id=session.id, project_id=project.id, investor_id=user.id, **values)
        try:
            with db.session.begin_nested():  # a second tab's first answer may have won the unique key
                db.session.add(answer)
        except sa.exc.IntegrityError:
            answer = answer_of(user, session, project)
    for key, value in values.items():
        setattr(answer, key, value)
    answer.updated_at = utcnow()
    db.session.flush()
    return answer


# ----------------------------------------------------------------------------- the startup's digest

@dataclass
class Digest:
    session: RoadshowSession
    project: Project
    institutions: list[str]  # that came (checked in at the door), or that booked when nobody was checked in
    investors: int  # with a seat
    came: int | None  # checked in at the door; None when the session did not check people in
    questions: list[Question]
    answers: list[Feedback]
    interest_counts: dict[InterestLevel, int] = field(default_factory=dict)
    concern_counts: dict[Concern, int] = field(default_factory=dict)

    @property
    def shared(self) -> list[Feedback]:
        return [a for a in self.answers if a.shared]

    @property
    def private(self) -> int:
        return len(self.answers) - len(self.shared)

    @property
    def show_aggregates(self) -> bool:
        """Totals only from MIN_AGGREGATE answers on, and never when the answers not shown individually are
        1 or 2: subtracting the shared answers from the totals would then reveal them."""
        return len(self.answers) >= MIN_AGGREGATE and (self.private == 0 or self.private >= MIN_AGGREGATE)

    @property
    def wanting_to_meet(self) -> int:
        return sum(n for level, n in self.interest_counts.items()
                   if level in (InterestLevel.MEET, InterestLevel.DUE_DILIGENCE))


def digest(session: RoadshowSession, project: Project) -> Digest:
    answers = list(db.session.scalars(
        sa.select(Feedback).where(Feedback.session_id == session.id, Feedback.project_id == project.id)
        .order_by(Feedback.created_at, Feedback.id)))
    questions = list(db.session.scalars(
        sa.select(Question).where(Question.session_id == session.id, Question.project_id == project.id,
                                  Question.status.in_(COUNTED_QUESTIONS)).order_by(Question.created_at)))
    seated = [(booking.user, came is not None) for booking, came in attendee_list(session)
              if booking.user.has_role(Role.INVESTOR) and not booking.user.is_disabled]
    door_used = any(came for _user, came in seated)  # else nobody was checked in: only the bookings are known
    present = [user for user, came in seated if came or not door_used]
    institutions = sorted({user.institution.name for user in present if user.institution is not None})
    result = Digest(session, project, institutions, len(seated), len(present) if door_used else None,
                    questions, answers)
    levels = Counter(a.interest for a in answers)
    tags = Counter(c for a in answers for c in a.concern_members)
    result.interest_counts = {level: levels[level] for level in InterestLevel}
    result.concern_counts = {concern: tags[concern] for concern in Concern}
    return result


# ----------------------------------------------------------------------------- when a session ends

def session_status_changed(session: RoadshowSession, *, after: SessionStatus, **_extra) -> None:
    """Receiver of roadshows.signals.session_status_changed: an ended session asks its attendees for
    feedback and tells each presenting startup that its digest is open. Once each (dedupe keys)."""
    if after != SessionStatus.ENDED or not session.slots:
        return
    for investor in attendees(session):
        with stored_language(investor):  # stored and read later: in the reader's language
            notify(investor, "feedback_request", _("请为路演项目反馈：%(title)s", title=session.display_title),
                   _("感谢参加本场路演。请在 %(deadline)s 前为每个项目留下简短反馈，企业只会看到汇总，除非您同意展示。",
                     deadline=deadline(session).date().isoformat()),
                   link=site_path("feedback.index") + f"#session-{session.id}",
                   dedupe_key=f"feedback-request:{session.id}:{investor.id}")
    for project in pitched_projects(session):
        for member in project.company.members:
            with stored_language(member):
                notify(member, "feedback_digest", _("路演反馈汇总：%(project)s", project=project.title),
                       _("“%(title)s”已结束。到场投资人、现场提问和投资人反馈汇总可在此查看，反馈截止前会持续更新。",
                         title=session.display_title),
                       link=site_path("feedback.digest_page", session_id=session.id, project_id=project.id),
                       dedupe_key=f"feedback-digest:{session.id}:{project.id}:{member.id}")


def digests_for(user: User) -> list[tuple[RoadshowSession, Project]]:
    """(session, project) for each ended session where a project of the user's company pitched, latest first."""
    if user.company_id is None:
        return []
    return list(db.session.execute(
        sa.select(RoadshowSession, Project).join(Slot, Slot.session_id == RoadshowSession.id)
        .join(Project, Slot.project_id == Project.id)
        .where(Project.company_id == user.company_id, RoadshowSession.status == SessionStatus.ENDED)
        .order_by(RoadshowSession.ends_at.desc(), Slot.position)
    ).tuples())
