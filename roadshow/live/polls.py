"""Polls in a live room: the host launches one (single or multiple choice, up to six options, optionally
anonymous), every signed-in member votes once, the host closes it and shows the results to the room."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..common.timeutil import utcnow
from ..extensions import db
from . import ratelimit
from .access import Access
from .errors import LiveError
from .models import (POLL_OPTION_MAX, POLL_OPTIONS_MAX, POLL_QUESTION_MAX, Poll, PollBallot, PollChoice, PollKind,
                     PollOption)
from .questions import clean_text
from .room import require_host, require_live


def launch(access: Access, question: str, options: list[str], kind: str = PollKind.SINGLE.value,
           anonymous: bool = False) -> Poll:
    require_host(access)
    require_live(access.session)
    question = clean_text(question, POLL_QUESTION_MAX, _("投票问题"))
    labels = [clean_text(label, POLL_OPTION_MAX, _("选项")) for label in options]
    if not 2 <= len(labels) <= POLL_OPTIONS_MAX:
        raise LiveError("invalid_options", _("投票需要 2–%(n)d 个选项。", n=POLL_OPTIONS_MAX))
    if len(set(labels)) != len(labels):
        raise LiveError("invalid_options", _("选项不能重复。"))
    ratelimit.enforce("poll", access.user_id, lambda since: _count_since(Poll.author_id, Poll.created_at, access.user_id, since))
    poll = Poll(session_id=access.session.id, author_id=access.user_id, question=question, kind=PollKind(kind),
                anonymous=anonymous, results_shown=False,
                options=[PollOption(position=n, label=label) for n, label in enumerate(labels, start=1)])
    db.session.add(poll)
    db.session.flush()
    return poll


def _count_since(column, created_at, user_id: int, since: datetime) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(column == user_id, created_at >= since))


def poll_in_room(access: Access, poll_id: int) -> Poll:
    poll = db.session.get(Poll, poll_id)
    if poll is None or poll.session_id != access.session.id:
        raise LiveError("not_found", _("本场直播间没有这个投票。"))
    return poll


def vote(access: Access, poll_id: int, option_ids: list[int]) -> Poll:
    require_live(access.session)
    if access.user_id is None:
        raise LiveError("login_required", _("登录后才能投票。"))
    poll = poll_in_room(access, poll_id)
    if not poll.is_open:
        raise LiveError("poll_closed", _("这个投票已经结束。"))
    chosen = set(option_ids)
    if not chosen or len(chosen) != len(option_ids) or not chosen <= {o.id for o in poll.options}:
        raise LiveError("invalid_options", _("请从这个投票的选项中选择。"))
    if poll.kind == PollKind.SINGLE and len(chosen) != 1:
        raise LiveError("invalid_options", _("这是单选投票，只能选一项。"))
    ratelimit.enforce("poll_vote", access.user_id,
                      lambda since: _count_since(PollBallot.user_id, PollBallot.created_at, access.user_id, since))
    try:
        with db.session.begin_nested():  # the primary key decides, even between two simultaneous clicks
            db.session.add(PollBallot(poll_id=poll.id, user_id=access.user_id,
                                      choices=[PollChoice(option_id=o) for o in sorted(chosen)]))
    except IntegrityError:
        raise LiveError("already_voted", _("您已经投过票了。")) from None
    return poll


def close(access: Access, poll_id: int) -> Poll:
    """Voting stops; the results go to the room at the same time."""
    require_host(access)
    poll = poll_in_room(access, poll_id)
    if poll.is_open:
        poll.closed_at = utcnow()
    poll.results_shown = True
    db.session.flush()
    return poll


def close_all(session_id: int) -> None:
    """The session is over: its open polls end, their results shown."""
    db.session.execute(
        sa.update(Poll).where(Poll.session_id == session_id, Poll.closed_at.is_(None))
        .values(closed_at=utcnow(), results_shown=True).execution_options(synchronize_session=False)
    )


def show_results(access: Access, poll_id: int) -> Poll:
    """The room sees the counts while voting goes on."""
    require_host(access)
    poll = poll_in_room(access, poll_id)
    poll.results_shown = True
    db.session.flush()
    return poll


def counts(poll: Poll) -> dict[int, int]:
    """Votes per option id (options nobody chose count 0)."""
    rows = db.session.execute(
        sa.select(PollChoice.option_id, sa.func.count()).where(PollChoice.poll_id == poll.id).group_by(PollChoice.option_id)
    )
    found = Counter(dict(rows.all()))
    return {option.id: found[option.id] for option in poll.options}


def ballot_count(poll: Poll) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PollBallot).where(PollBallot.poll_id == poll.id))


def voters(poll: Poll) -> dict[int, list[str]]:
    """Who chose each option, for the host; nothing for an anonymous poll."""
    if poll.anonymous:
        return {}
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        sa.select(PollChoice.option_id, User.name).join(User, User.id == PollChoice.user_id)
        .where(PollChoice.poll_id == poll.id).order_by(User.name)
    )
    for option_id, name in rows.all():
        names.setdefault(option_id, []).append(name)
    return names


def polls_of(session_id: int) -> list[Poll]:
    return list(db.session.scalars(
        sa.select(Poll).where(Poll.session_id == session_id).order_by(Poll.id.desc()).options(selectinload(Poll.options))
    ))


def choices_by(access: Access) -> sa.Select:
    """The options the member (signed in) chose, as (poll id, option id) rows: one part of the member's marks
    (payloads.member_marks)."""
    return (sa.select(PollChoice.poll_id, PollChoice.option_id).join(Poll, Poll.id == PollChoice.poll_id)
            .where(Poll.session_id == access.session.id, PollChoice.user_id == access.user_id))
