"""Questions in a live room: ask, vote once (and take the vote back), withdraw until answered; hosts approve, hide, pin, mark answered; announcements."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..common.timeutil import utcnow
from ..extensions import db
from . import ratelimit
from .access import Access
from .errors import LiveError
from .models import ANNOUNCEMENT_MAX, QUESTION_MAX, Announcement, Question, QuestionStatus, QuestionVote
from .room import get_room, presenting_slot, require_host, require_live

S = QuestionStatus
# What each moderation action sets; None means "now" for answered_at.
MODERATION = {
    "approve": {"status": S.APPROVED},
    "hide": {"status": S.HIDDEN, "pinned": False},
    "pin": {"pinned": True},
    "unpin": {"pinned": False},
    "answer": {"answered_at": None},
    "unanswer": {"answered_at": False},
}


def clean_text(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if not text:
        raise LiveError("empty", _("%(what)s不能为空。", what=what))
    if len(text) > limit:
        raise LiveError("too_long", _("%(what)s最多 %(n)d 个字（现在 %(m)d 个）。", what=what, n=limit, m=len(text)))
    return text


def _project_asked_about(access: Access, project_id: int | None) -> int | None:
    """The project named (it must pitch in this session), else the one presenting now."""
    if project_id is None:
        slot = presenting_slot(access.session)
        return slot.project_id if slot is not None else None
    if project_id not in {slot.project_id for slot in access.session.slots}:
        raise LiveError("not_found", _("本场路演没有这个项目。"))
    return project_id


def ask(access: Access, body: str, anonymous: bool = False, project_id: int | None = None,
        client_key: str | None = None) -> Question:
    """A new question; or, when this author already asked one with `client_key` (the page sent it again
    because the answer to the first send was lost with a connection), that one."""
    session = access.session
    require_live(session)
    if not access.can_ask:
        raise LiveError("forbidden", _("预约了本场席位的投资人才能提问。"))
    if client_key is not None and (sent := _asked_with(access.user_id, client_key)) is not None:
        return sent
    room = get_room(session.id)
    if room.qa_locked:
        raise LiveError("qa_locked", _("主持人已暂停提问。"))
    body = clean_text(body, QUESTION_MAX, _("问题"))
    project_id = _project_asked_about(access, project_id)
    ratelimit.enforce("ask", access.user_id, lambda since: _count_since(Question.author_id, access.user_id, since))
    question = Question(
        session_id=session.id, project_id=project_id, author_id=access.user_id, body=body, anonymous=anonymous,
        status=S.PENDING if room.premoderation else S.APPROVED, pinned=False, votes=0, client_key=client_key,
    )
    try:
        with db.session.begin_nested():
            db.session.add(question)
    except IntegrityError:  # the same key sent twice at once: the first one stands
        if client_key is None or (sent := _asked_with(access.user_id, client_key)) is None:
            raise
        return sent
    return question


def _asked_with(author_id: int, client_key: str) -> Question | None:
    return db.session.scalar(sa.select(Question).where(Question.author_id == author_id,
                                                       Question.client_key == client_key))


def _count_since(column, user_id: int, since: datetime) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(column.class_).where(column == user_id, column.class_.created_at >= since)
    )


def question_in_room(access: Access, question_id: int) -> Question:
    """The question, if it belongs to this session's room (ids of other sessions are refused alike)."""
    question = db.session.get(Question, question_id)
    if question is None or question.session_id != access.session.id or question.status == S.WITHDRAWN:
        raise LiveError("not_found", _("本场直播间没有这个问题。"))
    return question


def vote(access: Access, question_id: int) -> Question:
    require_live(access.session)
    if not access.can_ask:
        raise LiveError("forbidden", _("预约了本场席位的投资人才能点赞。"))
    question = question_in_room(access, question_id)
    if question.status != S.APPROVED:
        raise LiveError("not_found", _("本场直播间没有这个问题。"))
    ratelimit.enforce("vote", access.user_id, lambda since: _count_since(QuestionVote.user_id, access.user_id, since))
    try:
        with db.session.begin_nested():  # the primary key decides, even between two simultaneous clicks
            db.session.add(QuestionVote(question_id=question.id, user_id=access.user_id))
    except IntegrityError:
        raise LiveError("already_voted", _("您已经为这个问题点过赞了。")) from None
    db.session.execute(
        sa.update(Question).where(Question.id == question.id).values(votes=Question.votes + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(question)
    return question


def unvote(access: Access, question_id: int) -> Question:
    """Take back one's own upvote (a misclick, a changed mind); the count goes down by one."""
    require_live(access.session)
    question = question_in_room(access, question_id)
    deleted = db.session.execute(
        sa.delete(QuestionVote).where(QuestionVote.question_id == question.id, QuestionVote.user_id == access.user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not deleted:
        raise LiveError("not_voted", _("您没有为这个问题点过赞。"))
    db.session.execute(
        sa.update(Question).where(Question.id == question.id).values(votes=Question.votes - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(question)
    return question


def withdraw(access: Access, question_id: int) -> Question:
    require_live(access.session)
    question = question_in_room(access, question_id)
    if question.author_id != access.user_id:
        raise LiveError("forbidden", _("只能撤回自己的问题。"))
    if question.answered_at is not None:  # the answer was given in the room: the record keeps the question
        raise LiveError("answered", _("问题已经回答，不能撤回。"))
    question.status = S.WITHDRAWN
    question.pinned = False
    db.session.flush()
    return question


def moderate(access: Access, question_id: int, action: str) -> Question:
    require_host(access)
    require_live(access.session)
    if action not in MODERATION:
        raise LiveError("invalid_payload", _("不支持的操作：%(action)s。", action=action))
    question = question_in_room(access, question_id)
    for name, value in MODERATION[action].items():
        if name == "answered_at":
            value = utcnow() if value is None else None
        setattr(question, name, value)
    db.session.flush()
    return question


def announce(access: Access, body: str) -> Announcement:
    require_host(access)
    require_live(access.session)
    announcement = Announcement(
        session_id=access.session.id, author_id=access.user_id, body=clean_text(body, ANNOUNCEMENT_MAX, _("公告"))
    )
    db.session.add(announcement)
    db.session.flush()
    return announcement


def visible_to(access: Access) -> sa.Select:
    """The questions this member sees: hosts all but withdrawn ones; others the approved ones and their own pending."""
    query = sa.select(Question).where(Question.session_id == access.session.id)
    if access.can_moderate:
        return query.where(Question.status != S.WITHDRAWN)
    shown = Question.status == S.APPROVED
    if access.user_id is not None:
        shown = shown | ((Question.status == S.PENDING) & (Question.author_id == access.user_id))
    return query.where(shown)


def _listed(query: sa.Select) -> list[Question]:
    return list(db.session.scalars(
        query.order_by(Question.pinned.desc(), Question.votes.desc(), Question.id)
        .options(sa.orm.selectinload(Question.author).selectinload(User.institution))  # named on each question
    ))


def questions_for(access: Access) -> list[Question]:
    return _listed(visible_to(access))


def approved_questions(session_id: int) -> list[Question]:
    """What every attendee sees (visible_to without the member's own pending ones)."""
    return _listed(sa.select(Question).where(Question.session_id == session_id, Question.status == S.APPROVED))


def authored_by(access: Access) -> sa.Select:
    """The member's own questions in the room, whatever their status, as (question id, 1 when awaiting moderation
    else 0) rows: one part of the member's marks (payloads.member_marks). Those awaiting moderation are theirs to
    see besides the approved ones (questions_listed)."""
    return sa.select(Question.id, sa.case((Question.status == S.PENDING, 1), else_=0)).where(
        Question.session_id == access.session.id, Question.author_id == access.user_id)


def questions_listed(ids: list[int]) -> list[Question]:
    return _listed(sa.select(Question).where(Question.id.in_(ids))) if ids else []


def votes_by(access: Access) -> sa.Select:
    """The questions the member (signed in) voted for in the room, as (question id, NULL) rows: one part of the
    member's marks (payloads.member_marks)."""
    return (sa.select(QuestionVote.question_id, sa.cast(sa.null(), sa.Integer)).join(Question)
            .where(Question.session_id == access.session.id, QuestionVote.user_id == access.user_id))


def recent_announcements(session_id: int, limit: int = 20) -> list[Announcement]:
    return list(db.session.scalars(
        sa.select(Announcement).where(Announcement.session_id == session_id)
        .order_by(Announcement.id.desc()).limit(limit)
    ))
