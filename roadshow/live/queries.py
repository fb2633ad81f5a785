"""The session's record after it ended: lineup, the questions asked about each project, interest counts, polls."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..roadshows.models import RoadshowSession, Slot
from .interests import counts_by_project
from . import polls
from .models import Announcement, Poll, Question, QuestionStatus


@dataclass
class ProjectRecord:
    slot: Slot
    questions: list[Question] = field(default_factory=list)
    interest_count: int = 0


@dataclass
class PollRecord:
    poll: Poll
    counts: dict[int, int]  # option id -> votes
    ballots: int

    def share(self, option_id: int) -> int:
        """Percent of ballots that chose the option (multiple choice: shares add up to more than 100)."""
        return round(100 * self.counts.get(option_id, 0) / self.ballots) if self.ballots else 0


@dataclass
class SessionRecord:
    projects: list[ProjectRecord]
    general: list[Question]  # asked to the whole session, not about one project
    announcements: list[Announcement]
    polls: list[PollRecord] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return len(self.general) + sum(len(p.questions) for p in self.projects)

    @property
    def interest_count(self) -> int:
        return sum(p.interest_count for p in self.projects)


def session_record(session: RoadshowSession) -> SessionRecord:
    """Published questions only (pending, hidden and withdrawn ones stay out), pinned then most voted first."""
    asked = db.session.scalars(
        sa.select(Question)
        .where(Question.session_id == session.id, Question.status == QuestionStatus.APPROVED)
        .order_by(Question.pinned.desc(), Question.votes.desc(), Question.id)
        .options(selectinload(Question.author).selectinload(User.institution))
    ).all()
    interest = counts_by_project(session.id)
    projects = {slot.project_id: ProjectRecord(slot, interest_count=interest.get(slot.project_id, 0))
                for slot in session.slots}
    general = []
    for question in asked:
        (projects[question.project_id].questions if question.project_id in projects else general).append(question)
    announcements = db.session.scalars(
        sa.select(Announcement).where(Announcement.session_id == session.id).order_by(Announcement.id)
    ).all()
    kept = [PollRecord(p, polls.counts(p), polls.ballot_count(p)) for p in reversed(polls.polls_of(session.id))]
    return SessionRecord(list(projects.values()), general, list(announcements), kept)
