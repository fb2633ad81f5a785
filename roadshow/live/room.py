"""The room's running order: open, advance pitch → Q&A → next project, extend the timer, end; room switches.

Every change goes through one conditional UPDATE on the room's version, so two hosts (or two
tabs) pressing "next" at the same moment advance the room once, never twice.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..common.timeutil import utcnow
from ..i18n.formatting import format_datetime
from ..extensions import db
from ..roadshows.lifecycle import change_session_status
from ..roadshows.models import RoadshowSession, SessionStatus, Slot
from .access import Access
from .errors import LiveError
from .models import LiveRoom, Phase, SlotStart

MAX_EXTEND_MINUTES = 30
OPENABLE = (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED)
# Opening the room puts the session on every page and calendar feed as live: earlier than this before its
# start, the host has to say so explicitly (a rehearsal, a changed start), not by a stray click.
EARLY_OPEN_WITHOUT_CONFIRMATION = timedelta(minutes=30)


def get_room(session_id: int) -> LiveRoom:
    """The session's room row, created on first use (a concurrent creator's row is used instead)."""
    room = db.session.get(LiveRoom, session_id)
    if room is not None:
        return room
    try:
        with db.session.begin_nested():
            room = LiveRoom(session_id=session_id, phase=Phase.WAITING, qa_locked=False, premoderation=False, version=0)
            db.session.add(room)
    except IntegrityError:
        room = db.session.get(LiveRoom, session_id, populate_existing=True)
    return room


def require_host(access: Access) -> None:
    if not access.can_moderate:
        raise LiveError("forbidden", _("只有本场主持人可以这样操作。"))


def require_live(session: RoadshowSession) -> None:
    if session.status != SessionStatus.LIVE:
        raise LiveError("not_live", _("直播间尚未开启或已经结束。"))


def _save(room: LiveRoom, **values) -> LiveRoom:
    result = db.session.execute(
        sa.update(LiveRoom)
        .where(LiveRoom.session_id == room.session_id, LiveRoom.version == room.version)
        .values(version=LiveRoom.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise LiveError("conflict", _("直播间状态刚被其他主持人更新，请查看最新状态后再操作。"))
    db.session.refresh(room)
    return room


def open_room(access: Access, early: bool = False) -> LiveRoom:
    """The host opens the room before the scheduler has: the session goes live, the first project waits.
    More than 30 minutes before the start only with `early` (the host confirmed it)."""
    require_host(access)
    session = access.session
    if session.status == SessionStatus.LIVE:
        raise LiveError("already_live", _("直播间已经开启。"))
    if session.status not in OPENABLE:
        raise LiveError("not_openable", _("这场路演的状态是“%(status)s”，不能开启直播间。", status=session.status.label))
    if not early and session.starts_at - utcnow() > EARLY_OPEN_WITHOUT_CONFIRMATION:
        raise LiveError("too_early", _(
            "本场路演 %(start)s 开始。现在开启直播间，本场会立即对所有人显示为“直播中”，日历订阅也会随之更新。"
            "确定现在开启吗？", start=format_datetime(session.starts_at)))
    room = get_room(session.id)
    first = session.slots[0].id if session.slots else None
    room = _save(room, phase=Phase.WAITING, current_slot_id=room.current_slot_id or first, timer_ends_at=None)
    change_session_status(session, SessionStatus.LIVE, by=access.user)  # after the room: its signal shows it
    return room


def _pitch(room: LiveRoom, slot: Slot) -> LiveRoom:
    ends = utcnow().replace(microsecond=0) + timedelta(minutes=slot.pitch_minutes)
    room = _save(room, phase=Phase.PITCH, current_slot_id=slot.id, timer_ends_at=ends)
    note_slot_start(slot)
    return room


def note_slot_start(slot: Slot) -> None:
    """When the project's pitch began: the replay's chapter mark (a restart replaces a false start)."""
    start = db.session.get(SlotStart, slot.id)
    if start is None:
        db.session.add(SlotStart(slot_id=slot.id, session_id=slot.session_id, started_at=utcnow()))
    else:
        start.started_at = utcnow()
    db.session.flush()


def _slot_after(session: RoadshowSession, slot: Slot | None) -> Slot | None:
    later = [s for s in session.slots if slot is None or s.position > slot.position]
    return later[0] if later else None


def advance(access: Access) -> LiveRoom:
    """Waiting → pitch → Q&A → the next project's pitch; after the last project's Q&A the session ends."""
    require_host(access)
    session = access.session
    require_live(session)
    room = get_room(session.id)
    slot = room.current_slot
    if room.phase == Phase.WAITING:
        slot = slot or _slot_after(session, None)
        if slot is None:
            raise LiveError("no_slots", _("本场路演还没有排入项目。"))
        return _pitch(room, slot)
    if room.phase == Phase.PITCH and slot is not None:
        ends = utcnow().replace(microsecond=0) + timedelta(minutes=slot.qa_minutes)
        return _save(room, phase=Phase.QA, timer_ends_at=ends)
    following = _slot_after(session, slot)
    if following is not None:
        return _pitch(room, following)
    return end_session(access)


def start_slot(access: Access, slot_id: int) -> LiveRoom:
    """The host jumps to one project's pitch (a startup arrived late, the order changed)."""
    require_host(access)
    require_live(access.session)
    slot = next((s for s in access.session.slots if s.id == slot_id), None)
    if slot is None:
        raise LiveError("not_found", _("本场路演没有这个项目。"))
    return _pitch(get_room(access.session.id), slot)


def extend(access: Access, minutes: int) -> LiveRoom:
    require_host(access)
    require_live(access.session)
    if not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise LiveError("invalid_minutes", _("每次可延长 1–%(n)d 分钟。", n=MAX_EXTEND_MINUTES))
    room = get_room(access.session.id)
    if room.phase not in (Phase.PITCH, Phase.QA) or room.timer_ends_at is None:
        raise LiveError("no_timer", _("当前没有正在计时的环节。"))
    return _save(room, timer_ends_at=max(room.timer_ends_at, utcnow().replace(microsecond=0))
                 + timedelta(minutes=minutes))


def end_session(access: Access) -> LiveRoom:
    require_host(access)
    require_live(access.session)
    room = _save(get_room(access.session.id), phase=Phase.ENDED, timer_ends_at=None)
    change_session_status(access.session, SessionStatus.ENDED, by=access.user)  # after the room: its signal shows it
    return room


def update_settings(access: Access, qa_locked: bool | None = None, premoderation: bool | None = None) -> LiveRoom:
    """Lock or unlock Q&A, turn pre-moderation on or off (either or both)."""
    require_host(access)
    require_live(access.session)
    values = {k: v for k, v in (("qa_locked", qa_locked), ("premoderation", premoderation)) if v is not None}
    if not values:
        raise LiveError("invalid_payload", _("请说明要修改哪项设置。"))
    return _save(get_room(access.session.id), **values)


def presenting_slot(session: RoadshowSession) -> Slot | None:
    room = db.session.get(LiveRoom, session.id)
    return room.current_slot if room is not None and room.phase in (Phase.PITCH, Phase.QA) else None
