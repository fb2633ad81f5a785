"""Matchmaking day rules: setting a day up, joining, marking, solving, moving, pinning, publishing.

The schedule itself is computed by solver.py; this module turns the stored rows into its problem and
writes its answer back. Every change of a schedule goes through `_write_schedule`, which claims the
day's version (a solve started before a move made meanwhile is refused, not applied over it) and, once
the day is published, tells exactly the parties whose agenda changed.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..audit.services import record
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..i18n.formatting import format_datetime
from ..notifications.services import notify
from ..projects.models import Project
from ..roadshows.models import RoadshowSession
from . import solver
from .models import MAX_SLOTS, Mark, MatchmakingDay, MatchmakingMeeting, MatchmakingParty, MatchmakingPreference

MAX_TITLE = 120


class ScheduleChangedMeanwhile(RuleViolation):
    """Another admin changed the schedule while this change was being made; nothing was written."""


class DeadlinePassed(RuleViolation):
    """Marks and unavailable slots are closed."""


# ----------------------------------------------------------------------------- setting a day up

def create_day(by: User, *, title: str, starts_at: datetime, deadline: datetime, slot_minutes: int = 15,
               slot_count: int = 12, rooms: int | None = None, location: str = "",
               session: RoadshowSession | None = None) -> MatchmakingDay:
    """An admin adds a day (times naive UTC); attached to a session, the session's line-up takes part."""
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise FieldRuleViolation("title", _("请填写名称（不超过 %(n)d 个字）。", n=MAX_TITLE))
    if starts_at <= utcnow():
        raise FieldRuleViolation("starts_at", _("开始时间必须在未来。"))
    if deadline > starts_at:
        raise FieldRuleViolation("deadline", _("意向截止时间不能晚于对接会开始时间。"))
    if not 1 <= slot_count <= MAX_SLOTS:
        raise FieldRuleViolation("slot_count", _("时段数应在 1–%(n)d 之间。", n=MAX_SLOTS))
    if not 5 <= slot_minutes <= 120:
        raise FieldRuleViolation("slot_minutes", _("每个时段应为 5–120 分钟。"))
    if rooms is not None and not 1 <= rooms <= 200:
        raise FieldRuleViolation("rooms", _("洽谈室数量应在 1–200 之间。"))
    if session is not None:
        if session.status.is_final:
            raise FieldRuleViolation("session_id", _("该路演已结束或已取消。"))
        if db.session.scalar(sa.select(MatchmakingDay.id).where(MatchmakingDay.session_id == session.id)):
            raise FieldRuleViolation("session_id", _("该路演已有对接会。"))
    day = MatchmakingDay(title=title, starts_at=starts_at, deadline=deadline, slot_minutes=slot_minutes,
                         slot_count=slot_count, rooms=rooms, location=(location or "").strip()[:120],
                         session_id=session.id if session else None)
    try:
        with db.session.begin_nested():
            db.session.add(day)
    except IntegrityError:  # another admin attached a day to this session at the same moment
        raise FieldRuleViolation("session_id", _("该路演已有对接会。")) from None
    if session is not None:
        for slot in session.slots:
            _add_party(day, MatchmakingParty(day_id=day.id, project_id=slot.project_id))
    record(by, "matchmaking.create", day, day.title)
    return day


def _add_party(day: MatchmakingDay, party: MatchmakingParty) -> MatchmakingParty | None:
    """None when the party is already in (a double click, or two requests at once)."""
    try:
        with db.session.begin_nested():
            db.session.add(party)
    except IntegrityError:
        return None
    db.session.refresh(day, ["parties"])
    return party


def add_startup(by: User, day: MatchmakingDay, project: Project) -> MatchmakingParty:
    """An admin adds a public project; one project per company, so a startup has one table and one agenda."""
    _still_open(day)
    if not project.is_public:
        raise FieldRuleViolation("project_id", _("只能邀请已公开的项目。"))
    if any(p.project is not None and p.project.company_id == project.company_id for p in day.parties):
        raise FieldRuleViolation("project_id", _("该企业已有项目参加本场对接会。"))
    party = _add_party(day, MatchmakingParty(day_id=day.id, project_id=project.id))
    if party is None:
        raise FieldRuleViolation("project_id", _("该企业已有项目参加本场对接会。"))
    return party


def join(user: User, day: MatchmakingDay) -> MatchmakingParty:
    """An investor takes part; joining twice is harmless."""
    if not user.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以报名对接会。"))
    _still_open(day)
    existing = party_of(user, day)
    if existing is not None:
        return existing
    return _add_party(day, MatchmakingParty(day_id=day.id, user_id=user.id)) or party_of(user, day)


def _still_open(day: MatchmakingDay) -> None:
    if utcnow() >= day.deadline:
        raise DeadlinePassed(_("意向征集已于 %(when)s 截止。", when=format_datetime(day.deadline)))


# ----------------------------------------------------------------------------- who is who

def party_of(user: User, day: MatchmakingDay) -> MatchmakingParty | None:
    """The user's own party: as an investor, or as a member of a startup taking part."""
    if not user.is_authenticated:
        return None
    for party in day.parties:
        if party.user_id == user.id or (
                party.project is not None and user.company_id is not None
                and party.project.company_id == user.company_id):
            return party
    return None


def counterparts(party: MatchmakingParty) -> list[MatchmakingParty]:
    return party.day.startups if party.is_investor else party.day.investors


def marks_of(party: MatchmakingParty) -> dict[int, Mark]:
    return dict(db.session.execute(
        sa.select(MatchmakingPreference.to_party_id, MatchmakingPreference.mark)
        .where(MatchmakingPreference.from_party_id == party.id)
    ).all())


def days_for(user: User) -> list[MatchmakingDay]:
    """Investors see every day still taking marks or published; startups the days they take part in."""
    query = sa.select(MatchmakingDay).order_by(MatchmakingDay.starts_at.desc())
    if user.is_admin:
        return list(db.session.scalars(query))
    mine = sa.select(MatchmakingParty.day_id).outerjoin(Project, MatchmakingParty.project_id == Project.id).where(
        sa.or_(MatchmakingParty.user_id == user.id,
               sa.and_(Project.company_id.is_not(None), Project.company_id == user.company_id)))
    shown = [MatchmakingDay.id.in_(mine)]
    if user.has_role(Role.INVESTOR):
        shown.append(sa.or_(MatchmakingDay.deadline > utcnow(), MatchmakingDay.published_at.is_not(None)))
    return list(db.session.scalars(query.where(sa.or_(*shown))))


# ----------------------------------------------------------------------------- marks

def save_marks(user: User, day: MatchmakingDay, marks: dict[int, str | None], unavailable: set[int]) -> MatchmakingParty:
    """The user's side marks the other side (must / like / no, None clears) and names its unavailable slots.

    Marks for parties that are not on the other side of this day are refused as a whole, before anything
    is written; two members of one startup saving at once each write whole rows, never a duplicate.
    """
    party = party_of(user, day)
    if party is None:
        raise PermissionDenied(_("您没有参加这场对接会。"))
    _still_open(day)
    others = {p.id for p in counterparts(party)}
    foreign = [str(pid) for pid in marks if pid not in others]
    if foreign:
        raise FieldRuleViolation("marks", _("这些对象不在本场对接会的另一方名单中：%(ids)s", ids=", ".join(foreign[:10])))
    wrong = [m for m in marks.values() if m is not None and m not in {mark.value for mark in Mark}]
    if wrong:
        raise FieldRuleViolation("marks", _("意向只能是“必须见”“希望见”或“不见”。"))
    if any(not 0 <= n < day.slot_count for n in unavailable):
        raise FieldRuleViolation("unavailable", _("时段编号应在 0–%(n)d 之间。", n=day.slot_count - 1))
    held = marks_of(party)
    for to_id, mark in marks.items():
        if mark is None:
            db.session.execute(sa.delete(MatchmakingPreference).where(
                MatchmakingPreference.from_party_id == party.id, MatchmakingPreference.to_party_id == to_id))
        elif to_id in held:
            db.session.execute(sa.update(MatchmakingPreference).where(
                MatchmakingPreference.from_party_id == party.id, MatchmakingPreference.to_party_id == to_id,
            ).values(mark=Mark(mark)))
        else:
            _insert_mark(party.id, to_id, Mark(mark))
    db.session.execute(sa.update(MatchmakingParty).where(MatchmakingParty.id == party.id)
                       .values(unavailable_mask=sum(1 << n for n in set(unavailable))))
    db.session.refresh(party)
    return party


def _insert_mark(from_id: int, to_id: int, mark: Mark) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(MatchmakingPreference(from_party_id=from_id, to_party_id=to_id, mark=mark))
    except IntegrityError:  # a colleague's save inserted it first: this save's mark wins, as the later one
        db.session.execute(sa.update(MatchmakingPreference).where(
            MatchmakingPreference.from_party_id == from_id, MatchmakingPreference.to_party_id == to_id,
        ).values(mark=mark))


# ----------------------------------------------------------------------------- the schedule

def problem_of(day: MatchmakingDay, pins: list[MatchmakingMeeting] | None = None) -> solver.Problem:
    """The day as the solver sees it: party ids as keys, eligible pairs with their value."""
    marks = defaultdict(dict)
    for from_id, to_id, mark in db.session.execute(
            sa.select(MatchmakingPreference.from_party_id, MatchmakingPreference.to_party_id, MatchmakingPreference.mark)
            .join(MatchmakingParty, MatchmakingParty.id == MatchmakingPreference.from_party_id)
            .where(MatchmakingParty.day_id == day.id)):
        marks[from_id][to_id] = mark.value
    values = {}
    for inv in day.investors:
        for st in day.startups:
            value = solver.pair_value(marks[inv.id].get(st.id), marks[st.id].get(inv.id))
            if value > 0:
                values[(inv.id, st.id)] = value
    unavailable = {("i" if p.is_investor else "s", p.id): p.unavailable for p in day.parties if p.unavailable_mask}
    pins = [m for m in day.meetings if m.pinned] if pins is None else pins
    return solver.Problem(
        slots=day.slot_count, investors=[p.id for p in day.investors], startups=[p.id for p in day.startups],
        values=values, unavailable=unavailable, rooms=day.rooms,
        pins=[(m.investor_id, m.startup_id, m.slot) for m in pins],
    )


def solve_day(by: User, day: MatchmakingDay, time_limit: float | None = None) -> solver.Solution:
    """Compute the schedule around the pinned meetings and replace every unpinned meeting with it."""
    version = day.version
    pins = [m for m in day.meetings if m.pinned]
    problem = problem_of(day, pins)
    try:
        found = solver.solve(problem, current_app.config["MATCHMAKING_SOLVE_SECONDS"] if time_limit is None
                             else time_limit)
    except solver.InvalidPins as exc:  # a pair pinned before someone marked it "no", a slot made unavailable…
        raise RuleViolation(_("固定的约见与最新的意向或不可约时段冲突，请先移动或取消固定。")) from exc
    pinned_keys = {(m.investor_id, m.startup_id) for m in pins}
    new = [(i, s, t) for i, s, t in found.meetings if (i, s) not in pinned_keys]

    def write() -> None:
        for meeting in day.meetings:
            if not meeting.pinned:
                db.session.delete(meeting)
        db.session.flush()
        taken = defaultdict(set)
        for m in pins:
            taken[m.slot].add(m.room)
        for i, s, t in new:
            db.session.add(MatchmakingMeeting(day_id=day.id, investor_id=i, startup_id=s, slot=t,
                                              room=_free_room(day, taken[t])))
        db.session.flush()

    with stored_language():  # stored and read later: in the center's language
        methods = {"optimal": _("最优解"), "feasible": _("时限内最好的解"), "greedy": _("贪心兜底")}
        summary = _("%(method)s：%(n)d 场约见，目标值 %(value)d", method=methods.get(found.method, found.method),
                    n=len(found.meetings), value=found.objective)
        if found.bound is not None:
            summary += _("（上界 %(bound)d）", bound=found.bound)
    _write_schedule(day, version, write, solve_summary=summary[:200])
    record(by, "matchmaking.solve", day, summary)
    return found


def _free_room(day: MatchmakingDay, taken: set) -> int | None:
    if day.rooms is None:
        return None
    room = next(n for n in range(1, day.rooms + 1) if n not in taken)
    taken.add(room)
    return room


def move(by: User, meeting: MatchmakingMeeting, slot: int, room: int | None = None) -> MatchmakingMeeting:
    """An admin moves a meeting to another slot (and room); a moved meeting is pinned, so re-solving keeps it."""
    day = meeting.day
    version = day.version
    if not 0 <= slot < day.slot_count:
        raise FieldRuleViolation("slot", _("时段编号应在 0–%(n)d 之间。", n=day.slot_count - 1))
    if day.rooms is None:
        room = None
    elif room is None or not 1 <= room <= day.rooms:
        raise FieldRuleViolation("room", _("洽谈室编号应在 1–%(n)d 之间。", n=day.rooms))
    for party in (meeting.investor, meeting.startup):
        if slot in party.unavailable:
            raise FieldRuleViolation("slot", _("%(who)s 在该时段不可约。", who=party.name))

    def write() -> None:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.update(MatchmakingMeeting).where(MatchmakingMeeting.id == meeting.id)
                                   .values(slot=slot, room=room, pinned=True))
        except IntegrityError:
            raise FieldRuleViolation("slot", _("一方在该时段已有约见，或该洽谈室已被占用。")) from None
        db.session.refresh(meeting)

    _write_schedule(day, version, write)
    record(by, "matchmaking.move", meeting, f"{meeting.investor.name} × {meeting.startup.name} → {slot + 1}")
    return meeting


def set_pinned(by: User, meeting: MatchmakingMeeting, pinned: bool) -> MatchmakingMeeting:
    """Pinned meetings stay where they are when the solver runs again."""
    day = meeting.day
    version = day.version

    def write() -> None:
        db.session.execute(sa.update(MatchmakingMeeting).where(MatchmakingMeeting.id == meeting.id)
                           .values(pinned=pinned))
        db.session.refresh(meeting)

    _write_schedule(day, version, write)
    return meeting


def publish(by: User, day: MatchmakingDay) -> MatchmakingDay:
    """Everyone taking part is told; their agendas (page, iCal) show the meetings from now on."""
    if not day.meetings:
        raise RuleViolation(_("还没有排程，请先计算排程。"))
    written = db.session.execute(
        sa.update(MatchmakingDay).where(MatchmakingDay.id == day.id, MatchmakingDay.published_at.is_(None))
        .values(published_at=utcnow(), sequence=MatchmakingDay.sequence + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not written:
        raise RuleViolation(_("这场对接会已经发布过了。"))
    db.session.refresh(day)
    counts = defaultdict(int)
    for m in day.meetings:
        counts[m.investor_id] += 1
        counts[m.startup_id] += 1
    with stored_language():  # stored and read later: in the center's language
        for party in day.parties:
            _tell(party, "matchmaking_published", _("对接会日程已发布：%(title)s", title=day.title),
                  _("您在本场对接会有 %(n)d 场约见。", n=counts[party.id]), f"published:{day.sequence}")
    record(by, "matchmaking.publish", day, day.title)
    return day


def _agendas(day: MatchmakingDay) -> dict[int, set[tuple]]:
    seen = defaultdict(set)
    for m in day.meetings:
        seen[m.investor_id].add((m.startup_id, m.slot, m.room))
        seen[m.startup_id].add((m.investor_id, m.slot, m.room))
    return seen


def _write_schedule(day: MatchmakingDay, version: int, write, **values) -> None:
    """Claim the version the change was computed from, write it, and tell whom a published change concerns."""
    before = _agendas(day)
    claimed = db.session.execute(
        sa.update(MatchmakingDay).where(MatchmakingDay.id == day.id, MatchmakingDay.version == version)
        .values(version=MatchmakingDay.version + 1, **values).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise ScheduleChangedMeanwhile(_("排程刚刚被其他管理员修改过，请刷新后再试。"))
    write()
    db.session.refresh(day)
    db.session.expire(day, ["meetings"])
    if not day.is_published:
        return
    after = _agendas(day)
    changed = [p for p in day.parties if before.get(p.id, set()) != after.get(p.id, set())]
    if not changed:
        return
    db.session.execute(sa.update(MatchmakingDay).where(MatchmakingDay.id == day.id)
                       .values(sequence=MatchmakingDay.sequence + 1).execution_options(synchronize_session=False))
    db.session.refresh(day)
    with stored_language():
        for party in changed:
            _tell(party, "matchmaking_changed", _("对接会日程有变：%(title)s", title=day.title),
                  _("您的约见安排已调整，请查看最新日程。"), f"changed:{day.sequence}")


def _tell(party: MatchmakingParty, kind: str, title: str, body: str, key: str) -> None:
    people = [party.user] if party.is_investor else [m for m in party.project.company.members if not m.is_disabled]
    for person in people:
        notify(person, kind, title, body, link=site_path("matchmaking.day", day_id=party.day_id),
               dedupe_key=f"matchmaking:{party.day_id}:{key}:{person.id}")


# ----------------------------------------------------------------------------- agendas

def agenda(party: MatchmakingParty) -> list[MatchmakingMeeting]:
    """The party's meetings in slot order (only once the day is published, unless an admin looks)."""
    column = MatchmakingMeeting.investor_id if party.is_investor else MatchmakingMeeting.startup_id
    return list(db.session.scalars(sa.select(MatchmakingMeeting).where(column == party.id)
                                   .order_by(MatchmakingMeeting.slot)))


def published_meetings_of(user: User) -> list[MatchmakingMeeting]:
    """Every meeting of the user (as an investor or a startup member) on published days: the iCal feed's."""
    if not user.is_authenticated:
        return []
    parties = sa.select(MatchmakingParty.id).outerjoin(Project, MatchmakingParty.project_id == Project.id).where(
        sa.or_(MatchmakingParty.user_id == user.id,
               sa.and_(Project.company_id.is_not(None), Project.company_id == user.company_id)))
    return list(db.session.scalars(
        sa.select(MatchmakingMeeting).join(MatchmakingDay).where(
            MatchmakingDay.published_at.is_not(None),
            sa.or_(MatchmakingMeeting.investor_id.in_(parties), MatchmakingMeeting.startup_id.in_(parties)))
        .order_by(MatchmakingDay.starts_at, MatchmakingMeeting.slot)))


def grid(day: MatchmakingDay) -> tuple[list, dict]:
    """Rows of the admin grid (the startups' tables, or the rooms) and the meeting in each (row, slot) cell."""
    cells = {}
    if day.rooms is None:
        rows = day.startups
        for m in day.meetings:
            cells[(m.startup_id, m.slot)] = m
    else:
        rows = list(range(1, day.rooms + 1))
        for m in day.meetings:
            cells[(m.room, m.slot)] = m
    return rows, cells


def meetings_per_startup(day: MatchmakingDay) -> dict[int, int]:
    counts = {p.id: 0 for p in day.startups}
    for m in day.meetings:
        counts[m.startup_id] += 1
    return counts
