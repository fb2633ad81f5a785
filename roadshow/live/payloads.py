"""What the room's events carry, as plain JSON-ready dicts built once per change (not once per client).

Times are epoch milliseconds (UTC): the client counts down to `timer_ends_at` itself and corrects
its clock with `server_now`, so no tick events are needed and a late joiner is exact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.models import Project
from ..projects.policies import can_read_deck
from ..roadshows.models import RoadshowSession, Slot
from . import interests, polls, questions, video
from .access import Access
from .models import Announcement, Interest, LiveRoom, Poll, Question, QuestionStatus
from .room_content import kept_audience_content


def epoch_ms(value: datetime | None) -> int | None:
    return int(value.replace(tzinfo=timezone.utc).timestamp() * 1000) if value is not None else None


def _who(user: User | None) -> tuple[str | None, str | None]:
    if user is None:
        return None, None
    return user.name, user.institution.name if user.institution is not None else None


def question_public(question: Question) -> dict:
    """As attendees see it: an anonymous question names nobody."""
    name, institution = (None, None) if question.anonymous else _who(question.author)
    return {
        "id": question.id, "project_id": question.project_id, "body": question.body,
        "anonymous": question.anonymous, "author": name, "institution": institution,
        "votes": question.votes, "pinned": question.pinned, "answered": question.answered_at is not None,
        "status": question.status.value, "created_at": epoch_ms(question.created_at),
    }


def question_for_host(question: Question) -> dict:
    """As the host sees it: always with the author (anonymity is towards other attendees only)."""
    name, institution = _who(question.author)
    return {**question_public(question), "author": name, "institution": institution, "author_id": question.author_id}


def is_public(question: Question) -> bool:
    return question.status == QuestionStatus.APPROVED


def room_payload(room: LiveRoom, session: RoadshowSession) -> dict:
    return {
        "status": session.status.value, "status_label": str(session.status.label),
        "phase": room.phase.value, "phase_label": str(room.phase.label),
        "current_slot_id": room.current_slot_id, "timer_ends_at": epoch_ms(room.timer_ends_at),
        "qa_locked": room.qa_locked, "premoderation": room.premoderation, "version": room.version,
        "server_now": epoch_ms(utcnow()),
    }


def slot_payload(slot: Slot, user: User | None) -> dict:
    project = slot.project
    deck = user is not None and can_read_deck(user, project)
    return {
        "slot_id": slot.id, "position": slot.position, "project_id": project.id, "title": project.title,
        "company": project.company.name, "pitch": project.pitch,
        "pitch_minutes": slot.pitch_minutes, "qa_minutes": slot.qa_minutes,
        "project_url": url_for("projects.detail", project_id=project.id),
        "deck_url": url_for("projects.read_deck", project_id=project.id) if deck else None,
    }


def announcement_payload(announcement: Announcement) -> dict:
    return {"id": announcement.id, "body": announcement.body, "created_at": epoch_ms(announcement.created_at)}


def interest_payload(interest: Interest, count: int) -> dict:
    name, institution = _who(interest.investor)
    return {
        "id": interest.id, "project_id": interest.project_id, "investor": name, "institution": institution,
        "created_at": epoch_ms(interest.created_at), "count": count,
    }


def poll_payload(poll: Poll, for_host: bool = False) -> dict:
    """The poll with its counts when the viewer may see them (hosts always; the room once they are shown),
    and for the host of a named poll, who chose what."""
    body = {
        "id": poll.id, "question": poll.question, "kind": poll.kind.value, "anonymous": poll.anonymous,
        "open": poll.is_open, "results_shown": poll.results_shown,
        "options": [{"id": o.id, "label": o.label} for o in poll.options],
        "ballots": polls.ballot_count(poll),
    }
    if for_host or poll.results_shown:
        counts = polls.counts(poll)
        body["counts"] = {str(option_id): n for option_id, n in counts.items()}
    if for_host:
        body["voters"] = {str(option_id): names for option_id, names in polls.voters(poll).items()}
    return body


def stream_payload(session_id: int) -> dict:
    return video.stream_payload(session_id)


@dataclass
class Marks:
    """What in the room is the member's own: question votes, interest flags, poll choices (options by poll), the
    questions they asked, and which of those await moderation."""
    voted: list[int] = field(default_factory=list)
    interested: list[int] = field(default_factory=list)
    ballots: dict[int, list[int]] = field(default_factory=dict)
    asked: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)


def you_payload(access: Access, marks: Marks) -> dict:
    """What is the member's own: their rights, votes, questions, interests and ballots."""
    return {
        "user_id": access.user_id, "role": access.role.value, "can_ask": access.can_ask,
        "can_moderate": access.can_moderate, "can_flag_interest": access.can_flag_interest,
        "voted": marks.voted, "mine": marks.asked, "interested": marks.interested,
        "ballots": {str(poll_id): options for poll_id, options in marks.ballots.items()},
    }


def member_marks(access: Access) -> Marks:
    """The member's marks in the room: each kind's own statement, asked in one query (every joining client is
    sent them)."""
    marks = Marks()
    if access.user_id is None:
        return marks
    parts = {"vote": questions.votes_by(access), "flag": interests.flags_by(access),
             "ballot": polls.choices_by(access), "asked": questions.authored_by(access)}
    for item, detail, kind in db.session.execute(
            sa.union_all(*(part.add_columns(sa.literal(kind)) for kind, part in parts.items()))):
        if kind == "vote":
            marks.voted.append(item)
        elif kind == "flag":
            marks.interested.append(item)
        elif kind == "ballot":  # the option chosen in poll `item`
            marks.ballots.setdefault(item, []).append(detail)
        else:  # a question they asked; detail 1: awaiting moderation
            marks.asked.append(item)
            if detail:
                marks.pending.append(item)
    return marks


def lineup(session: RoadshowSession) -> list[Slot]:
    """The session's slots with their projects and companies in one query (sent to every joining client:
    loading each slot's project and company on its own cost two more queries per slot)."""
    return list(db.session.scalars(
        sa.select(Slot).where(Slot.session_id == session.id).order_by(Slot.position)
        .options(joinedload(Slot.project).joinedload(Project.company))
    ))


def audience_content(session_id: int) -> dict:
    """What every audience member sees alike: the approved questions, the announcements, the polls (kept per
    change of the room, room_content.py)."""
    return kept_audience_content(session_id, lambda: {
        "questions": [question_public(q) for q in questions.approved_questions(session_id)],
        "announcements": [announcement_payload(a) for a in questions.recent_announcements(session_id)],
        "polls": [poll_payload(p) for p in polls.polls_of(session_id)],
    })


def _question_order(body: dict) -> tuple:
    return not body["pinned"], -body["votes"], body["id"]  # as questions.questions_for orders them


def full_state(access: Access, room: LiveRoom, presence: dict) -> dict:
    """Everything a client shows, in one event: sent on every connect and reconnect."""
    session = access.session
    marks = member_marks(access)
    if access.can_moderate:
        shown = {
            "questions": [question_for_host(q) for q in questions.questions_for(access)],
            "announcements": [announcement_payload(a) for a in questions.recent_announcements(session.id)],
            "polls": [poll_payload(p, for_host=True) for p in polls.polls_of(session.id)],
        }
    else:  # the room's kept content, and the member's own questions still awaiting moderation
        shown = audience_content(session.id)
        pending = [question_public(q) for q in questions.questions_listed(marks.pending)]
        if pending:
            shown = {**shown, "questions": sorted(shown["questions"] + pending, key=_question_order)}
    seen = interests.interests_seen_by(access)
    counts = interests.counts_by_project(session.id) if seen else {}
    return {
        "session": {"id": session.id, "title": session.title},
        "room": room_payload(room, session),
        "lineup": [slot_payload(slot, access.user) for slot in lineup(session)],
        **shown,
        "interests": [interest_payload(i, counts.get(i.project_id, 0)) for i in seen],
        "stream": video.stream_payload(session.id),
        "presence": presence,
        "you": you_payload(access, marks),
    }
