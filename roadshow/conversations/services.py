"""Conversation rules: who takes part, posting (text or the project's deck), read markers, blocking,
reporting and moderation, and the digest of unread messages."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User, UserRole
from ..audit.services import record
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import absolute, site_path
from ..common.timeutil import utcnow
from ..deals.models import Deal
from ..deals.services import visible_deals
from ..extensions import db
from ..i18n import stored_language
from ..meetings.models import MeetingRequest, MeetingSide
from ..meetings.services import meetings_for, side_members
from ..notifications.services import notify, queue_email
from ..projects.models import Project
from .models import MESSAGE_MAX, Message, MessageReport, Thread, ThreadMark
from .policies import is_party

MAX_REASON = 500


# ----------------------------------------------------------------------------- threads and their people

def _thread_of(column, subject_id: int) -> Thread:
    """The subject's thread, made the first time (two first visits at once make one)."""
    query = sa.select(Thread).where(column == subject_id)
    thread = db.session.scalar(query)
    if thread is not None:
        return thread
    thread = Thread(**{column.key: subject_id})
    try:
        with db.session.begin_nested():
            db.session.add(thread)
    except IntegrityError:
        thread = db.session.scalar(query)
    return thread


def thread_for_meeting(meeting: MeetingRequest) -> Thread:
    return _thread_of(Thread.meeting_id, meeting.id)


def thread_for_deal(deal: Deal) -> Thread:
    return _thread_of(Thread.deal_id, deal.id)


def participants(thread: Thread) -> list[User]:
    """Everyone who reads the thread as a party (admins only moderate)."""
    if thread.meeting is not None:
        people = [*side_members(thread.meeting, MeetingSide.INVESTOR),
                  *side_members(thread.meeting, MeetingSide.STARTUP)]
    else:
        deal = thread.deal
        people = [*(m for m in deal.institution.members if m.has_role(Role.INVESTOR)),
                  *deal.project.company.members]
    seen: dict[int, User] = {}
    for person in people:
        if not person.is_disabled:
            seen.setdefault(person.id, person)
    return list(seen.values())


def title_of(thread: Thread) -> str:
    """"机构 × 项目" as both parties know it."""
    if thread.meeting is not None:
        return f"{thread.meeting.investor_label} × {thread.project.title}"
    return f"{thread.deal.institution.display_name} × {thread.project.title}"


def threads_for(user: User) -> list[Thread]:
    """The user's threads that have messages, latest first."""
    meeting_ids = [m.id for m in meetings_for(user)]
    deal_ids = list(db.session.scalars(visible_deals(user).with_only_columns(Deal.id))) \
        if not user.is_admin else []
    if not (meeting_ids or deal_ids):
        return []
    return list(db.session.scalars(
        sa.select(Thread).where(
            sa.or_(Thread.meeting_id.in_(meeting_ids), Thread.deal_id.in_(deal_ids)),
            Thread.last_message_at.is_not(None))
        .order_by(Thread.last_message_at.desc())
    ))


# ----------------------------------------------------------------------------- messages

def messages_of(thread: Thread, *, after: int = 0, limit: int = 200) -> list[Message]:
    return list(db.session.scalars(
        sa.select(Message).where(Message.thread_id == thread.id, Message.id > after)
        .order_by(Message.id).limit(limit)))


def post(user: User, thread: Thread, body: str, share_deck: bool = False) -> Message:
    """A party writes in the thread: text of 1..MESSAGE_MAX characters, and (the startup) its project's deck."""
    if not is_party(user, thread):
        raise PermissionDenied(_("只有对接双方可以在对话中发言。"))
    if thread.is_blocked:
        raise RuleViolation(_("对话已被屏蔽，暂时不能发送消息。"))
    body = (body or "").strip()
    if len(body) > MESSAGE_MAX:
        raise FieldRuleViolation("body", _("消息不能超过 %(n)d 个字（现在 %(m)d 个字）。", n=MESSAGE_MAX, m=len(body)))
    project = thread.project
    if share_deck:
        if user.company_id is None or user.company_id != project.company_id:
            raise RuleViolation(_("只有项目方可以分享项目的路演材料。"))
        if not project.has_deck:
            raise RuleViolation(_("该项目还没有上传路演材料。"))
    elif not body:
        raise FieldRuleViolation("body", _("请输入消息内容。"))
    message = Message(thread_id=thread.id, author_id=user.id, body=body,
                      deck_project_id=project.id if share_deck else None)
    db.session.add(message)
    db.session.flush()
    db.session.execute(sa.update(Thread).where(Thread.id == thread.id).values(last_message_at=message.created_at)
                       .execution_options(synchronize_session=False))
    mark_read(user, thread, message.id)  # one's own message is read
    return message


def mark_read(user: User, thread: Thread, up_to: int | None = None) -> int:
    """Move the user's read marker forward (never back) to `up_to`, or to the thread's latest message."""
    if up_to is None:
        up_to = db.session.scalar(sa.select(sa.func.max(Message.id)).where(Message.thread_id == thread.id)) or 0
    _ensure_mark(thread.id, user.id)
    db.session.execute(
        sa.update(ThreadMark).where(ThreadMark.thread_id == thread.id, ThreadMark.user_id == user.id,
                                    ThreadMark.read_up_to < up_to)
        .values(read_up_to=up_to).execution_options(synchronize_session=False))
    return up_to


def _ensure_mark(thread_id: int, user_id: int) -> None:
    exists = db.session.scalar(sa.select(ThreadMark.user_id).where(
        ThreadMark.thread_id == thread_id, ThreadMark.user_id == user_id))
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.add(ThreadMark(thread_id=thread_id, user_id=user_id))
        except IntegrityError:
            pass  # made at the same moment by another request of the same user


def read_marker(user: User, thread: Thread) -> int:
    return db.session.scalar(sa.select(ThreadMark.read_up_to).where(
        ThreadMark.thread_id == thread.id, ThreadMark.user_id == user.id)) or 0


def other_read_up_to(user: User, thread: Thread) -> int:
    """How far the other people in the thread have read (the furthest of them): "read" under one's messages."""
    others = [p.id for p in participants(thread) if p.id != user.id]
    if not others:
        return 0
    return db.session.scalar(sa.select(sa.func.max(ThreadMark.read_up_to)).where(
        ThreadMark.thread_id == thread.id, ThreadMark.user_id.in_(others))) or 0


def unread_counts(user: User, threads: list[Thread]) -> dict[int, int]:
    """Per thread, the messages by others after the user's read marker."""
    if not threads:
        return {}
    mark = sa.select(ThreadMark.read_up_to).where(ThreadMark.thread_id == Message.thread_id,
                                                   ThreadMark.user_id == user.id).scalar_subquery()
    rows = db.session.execute(
        sa.select(Message.thread_id, sa.func.count())
        .where(Message.thread_id.in_([t.id for t in threads]), Message.author_id != user.id,
               Message.hidden_at.is_(None), Message.id > sa.func.coalesce(mark, 0))
        .group_by(Message.thread_id))
    return dict(rows.all())


# ----------------------------------------------------------------------------- blocking, reporting, moderation

def block(user: User, thread: Thread) -> None:
    """A party stops the conversation: nobody posts until the same person lifts it."""
    if not is_party(user, thread):
        raise PermissionDenied(_("只有对接双方可以屏蔽对话。"))
    changed = db.session.execute(
        sa.update(Thread).where(Thread.id == thread.id, Thread.blocked_by_id.is_(None))
        .values(blocked_by_id=user.id, blocked_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise RuleViolation(_("对话已经被屏蔽。"))
    db.session.refresh(thread)


def unblock(user: User, thread: Thread) -> None:
    changed = db.session.execute(
        sa.update(Thread).where(Thread.id == thread.id, Thread.blocked_by_id == user.id)
        .values(blocked_by_id=None, blocked_at=None).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise RuleViolation(_("只有屏蔽对话的人可以解除屏蔽。"))
    db.session.refresh(thread)


def report(user: User, message: Message, reason: str) -> MessageReport:
    """A party reports someone else's message; the admins are told (once per reporter and message)."""
    if not is_party(user, message.thread):
        raise PermissionDenied(_("只有对接双方可以举报消息。"))
    if message.author_id == user.id:
        raise RuleViolation(_("不能举报自己的消息。"))
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise FieldRuleViolation("reason", _("举报说明不能超过 %(n)d 个字。", n=MAX_REASON))
    row = MessageReport(message_id=message.id, reporter_id=user.id, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise RuleViolation(_("您已经举报过这条消息，管理员会尽快处理。")) from None
    admins = db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.ADMIN,
                                                                    User.is_disabled.is_(False)))
    for admin in admins:
        with stored_language(admin):  # stored and read later: in the reader's language
            notify(admin, "message_reported", _("有一条对话消息被举报"), reason or message.body[:200],
                   link=site_path("conversations.thread", thread_id=message.thread_id),
                   dedupe_key=f"message-report:{row.id}:{admin.id}")
    return row


def open_reports() -> list[MessageReport]:
    return list(db.session.scalars(sa.select(MessageReport).where(MessageReport.resolved_at.is_(None))
                                   .order_by(MessageReport.created_at)))


def hide(admin: User, message: Message) -> None:
    """An admin takes a message down; its reports are resolved. Audited."""
    if not admin.is_admin:
        raise PermissionDenied(_("只有管理员可以处理举报。"))
    changed = db.session.execute(
        sa.update(Message).where(Message.id == message.id, Message.hidden_at.is_(None))
        .values(hidden_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise RuleViolation(_("这条消息已经被隐藏。"))
    db.session.execute(sa.update(MessageReport).where(MessageReport.message_id == message.id,
                                                      MessageReport.resolved_at.is_(None))
                       .values(resolved_at=utcnow()).execution_options(synchronize_session=False))
    record(admin, "message.hide", message, message.body[:200])
    db.session.refresh(message)


# ----------------------------------------------------------------------------- the digest of unread messages

def send_digests(now: datetime | None = None) -> dict:
    """One email per person with unread messages that have waited CONVERSATION_DIGEST_DELAY minutes and no
    digest covered yet: each message is mailed about at most once, and never per message."""
    now = now or utcnow()
    delay = timedelta(minutes=current_app.config["CONVERSATION_DIGEST_DELAY"])
    recent = now - timedelta(days=14)
    threads = db.session.scalars(sa.select(Thread).where(Thread.last_message_at >= recent)).all()
    pending: dict[int, list[tuple[Thread, list[Message]]]] = defaultdict(list)
    people: dict[int, User] = {}
    for thread in threads:
        messages = [m for m in messages_of(thread, limit=10_000) if m.hidden_at is None]
        marks = {m.user_id: m for m in db.session.scalars(sa.select(ThreadMark).where(ThreadMark.thread_id == thread.id))}
        for person in participants(thread):
            mark = marks.get(person.id)
            seen = max(mark.read_up_to, mark.mailed_up_to) if mark else 0
            unread = [m for m in messages if m.id > seen and m.author_id != person.id]
            if unread and unread[0].created_at <= now - delay:
                pending[person.id].append((thread, unread))
                people[person.id] = person
    sent = 0
    for user_id, items in pending.items():
        person = people[user_id]
        newest = max(m.id for _thread, unread in items for m in unread)
        with stored_language(person):  # the digest is read later: in the reader's language
            lines = [_("您有 %(n)d 条未读的对接消息：", n=sum(len(u) for _t, u in items)), ""]
            for thread, unread in items:
                lines.append(f"{title_of(thread)}（{len(unread)}）")
                last = unread[-1]
                lines.append(f"  {last.author.name if last.author else ''}: {last.body[:120] or _('[路演材料]')}")
                lines.append(f"  {absolute(site_path('conversations.thread', thread_id=thread.id))}")
            subject = _("对接消息：%(n)d 条未读", n=sum(len(u) for _t, u in items))
        if not person.is_disabled:
            queue_email(person.email, subject, "\n".join(lines), dedupe_key=f"conversation-digest:{user_id}:{newest}")
            sent += 1
        for thread, unread in items:
            _ensure_mark(thread.id, user_id)
            db.session.execute(
                sa.update(ThreadMark).where(ThreadMark.thread_id == thread.id, ThreadMark.user_id == user_id,
                                            ThreadMark.mailed_up_to < unread[-1].id)
                .values(mailed_up_to=unread[-1].id).execution_options(synchronize_session=False))
    db.session.commit()
    return {"sent": sent}
