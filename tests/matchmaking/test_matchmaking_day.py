"""Setting a day up, marking, solving, moving, pinning and publishing, with their refusals and races."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.common.timeutil import utcnow
from roadshow.extensions import db as _db
from roadshow.matchmaking import services
from roadshow.matchmaking.models import (MatchmakingDay, MatchmakingMeeting, MatchmakingParty,
                                         MatchmakingPreference)
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.scheduling import ical

from ..support.concurrency import at_once
from .conftest import mark_all, party_id


def everything(db):
    return [db.session.execute(sa.select(t).order_by(*t.primary_key.columns)).all() for t in (
        MatchmakingDay.__table__, MatchmakingParty.__table__, MatchmakingPreference.__table__,
        MatchmakingMeeting.__table__)]


def kinds(db, user):
    return sorted(n.kind for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)))


def pairs(day):
    return {(m.investor_id, m.startup_id): m.slot for m in day.meetings}


def test_a_day_attached_to_a_session_brings_its_line_up(db, make_session, world):
    from roadshow.roadshows.models import Slot

    session = make_session()
    db.session.add_all([Slot(session_id=session.id, project_id=p.id, position=n) for n, p in enumerate(world.projects, 1)])
    db.session.commit()
    start = session.ends_at + timedelta(minutes=30)
    day = services.create_day(world.admin, title="路演后对接", starts_at=start, deadline=session.starts_at,
                              session=session)
    assert sorted(p.project_id for p in day.startups) == sorted(p.id for p in world.projects)
    with pytest.raises(RuleViolation, match="已有对接会"):
        services.create_day(world.admin, title="再来一场", starts_at=start, deadline=start, session=session)


@pytest.mark.parametrize("change, field", [
    ({"deadline_after": True}, "deadline"), ({"slot_count": 0}, "slot_count"), ({"slot_count": 49}, "slot_count"),
    ({"slot_minutes": 500}, "slot_minutes"), ({"rooms": 0}, "rooms"), ({"title": "  "}, "title"),
    ({"title": "长" * 10_000}, "title"), ({"past": True}, "starts_at"),
])
def test_bad_settings_are_refused_and_nothing_is_written(db, world, change, field):
    before = everything(db)
    start = utcnow() + timedelta(days=(-1 if change.pop("past", False) else 5))
    deadline = start + timedelta(hours=1) if change.pop("deadline_after", False) else start - timedelta(days=1)
    settings = {"title": "对接会", "starts_at": start, "deadline": deadline, **change}
    with pytest.raises(RuleViolation) as refused:
        services.create_day(world.admin, **settings)
    assert refused.value.field == field
    db.session.rollback()
    assert everything(db) == before


def test_marks_and_unavailable_slots_are_saved_and_can_be_changed(db, world):
    day, investor = world.day, world.investors[0]
    startup = party_id(day, world.founders[0])
    services.save_marks(investor, day, {startup: "must"}, {1, 3})
    db.session.commit()
    party = services.party_of(investor, day)
    assert services.marks_of(party) == {startup: services.Mark.MUST} and party.unavailable == {1, 3}
    services.save_marks(investor, day, {startup: None}, set())
    db.session.commit()
    assert services.marks_of(party) == {} and party.unavailable == set()


@pytest.mark.parametrize("marks, unavailable, message", [
    ("own side", set(), "另一方名单"),         # an investor marking another investor
    ("foreign", set(), "另一方名单"),          # a party of another day
    ("bad mark", set(), "必须见"),
    ({}, {4}, "时段编号"),
    ({}, {-1}, "时段编号"),
])
def test_bad_marks_are_refused_and_change_nothing(db, world, make_user, marks, unavailable, message):
    day, investor = world.day, world.investors[0]
    startup = party_id(day, world.founders[0])
    services.save_marks(investor, day, {startup: "like"}, {0})
    db.session.commit()
    other_day = services.create_day(world.admin, title="另一场", starts_at=day.starts_at, deadline=day.deadline)
    services.add_startup(world.admin, other_day, world.projects[1])
    db.session.commit()
    marks = {"own side": {party_id(day, world.investors[1]): "like", startup: "must"},
             "foreign": {other_day.startups[0].id: "must", startup: "must"},
             "bad mark": {startup: "maybe"}}[marks] if isinstance(marks, str) else marks
    before = everything(db)
    with pytest.raises(RuleViolation, match=message):
        services.save_marks(investor, day, marks, unavailable)
    db.session.rollback()
    assert everything(db) == before


def test_marks_after_the_deadline_and_by_outsiders_are_refused(db, world, make_user):
    day = world.day
    startup = party_id(day, world.founders[0])
    with pytest.raises(PermissionDenied):
        services.save_marks(make_user(Role.INVESTOR), day, {startup: "must"}, set())
    day.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(services.DeadlinePassed):
        services.save_marks(world.investors[0], day, {startup: "must"}, set())
    with pytest.raises(services.DeadlinePassed):
        services.join(make_user(Role.INVESTOR), day)


def test_two_members_of_a_startup_saving_at_once_leave_one_row_per_mark(app, db, world, make_user):
    day, company = world.day, world.projects[0].company
    colleague = make_user(Role.STARTUP)
    colleague.company_id = company.id
    db.session.commit()
    targets = [party_id(day, i) for i in world.investors]
    users = [world.founders[0].id, colleague.id]
    barrier = threading.Barrier(2)

    def save(user_id):
        with app.app_context():
            user, the_day = _db.session.get(User, user_id), _db.session.get(MatchmakingDay, day.id)
            services.party_of(user, the_day)
            barrier.wait()
            try:
                services.save_marks(user, the_day, {t: "like" if user_id == users[0] else "must" for t in targets}, set())
                _db.session.commit()
            finally:
                _db.session.remove()

    at_once(save, users, timeout=30)
    rows = db.session.scalars(sa.select(MatchmakingPreference).where(
        MatchmakingPreference.from_party_id == party_id(day, world.founders[0]))).all()
    assert sorted(r.to_party_id for r in rows) == sorted(targets)


def test_the_schedule_follows_the_marks_and_never_pairs_a_no(db, world):
    day = world.day
    # investor 0 must meet startups 0 and 1, but startup 1 said no; investor 1 likes startup 2, who is busy in slot 0
    mark_all(world, {(0, 0): "must", (0, 1): "must", (1, 2): "like", (2, 0): "no"}, {(0, 1): "no", (2, 0): "must"})
    services.save_marks(world.founders[2], day, {}, {0})
    db.session.commit()
    found = services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    inv = [party_id(day, i) for i in world.investors]
    st = [party_id(day, f) for f in world.founders]
    assert set(pairs(day)) == {(inv[0], st[0]), (inv[1], st[2])}
    assert pairs(day)[(inv[1], st[2])] != 0
    assert found.method == "optimal" and "上界" in day.solve_summary
    rows, cells = services.grid(day)
    assert [r.id for r in rows] == st and len(cells) == 2


def test_pinned_and_moved_meetings_survive_a_new_solve(db, world):
    day = world.day
    mark_all(world, {(i, p): "like" for i in range(4) for p in range(3)})
    services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    first = day.meetings[0]
    target = next(t for t in range(day.slot_count)
                  if all(m.slot != t for m in day.meetings if m.investor_id == first.investor_id or m.startup_id == first.startup_id))\
        if len(day.meetings) < 12 else None
    if target is None:  # everyone is busy in every slot: swap nothing, pin in place
        services.set_pinned(world.admin, first, True)
        target = first.slot
    else:
        services.move(world.admin, first, target)
    db.session.commit()
    key = (first.investor_id, first.startup_id)
    services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    assert pairs(day)[key] == target and db.session.get(MatchmakingMeeting, first.id).pinned


def test_a_move_into_a_taken_or_unavailable_slot_is_refused_and_changes_nothing(db, world):
    day = world.day
    mark_all(world, {(0, 0): "must", (0, 1): "must"})
    services.save_marks(world.founders[1], day, {}, {3})
    db.session.commit()
    services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    a, to_move = sorted(day.meetings, key=lambda m: m.startup_id != party_id(day, world.founders[0]))
    before = everything(db)
    with pytest.raises(RuleViolation, match="已有约见"):  # the investor meets startup 1 then
        services.move(world.admin, a, to_move.slot)
    db.session.rollback()
    assert everything(db) == before
    with pytest.raises(RuleViolation, match="不可约"):
        services.move(world.admin, to_move, 3)
    with pytest.raises(RuleViolation, match="时段编号"):
        services.move(world.admin, to_move, 99)
    db.session.rollback()
    assert everything(db) == before


def test_two_admins_moving_into_one_slot_one_wins(app, db, world):
    day = world.day
    mark_all(world, {(0, 0): "must", (0, 1): "must", (0, 2): "must"})
    services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    free = ({0, 1, 2, 3} - {m.slot for m in day.meetings}).pop()
    ids = [m.id for m in day.meetings[:2]]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(meeting_id):
        with app.app_context():
            admin, meeting = _db.session.get(User, world.admin.id), _db.session.get(MatchmakingMeeting, meeting_id)
            meeting.day.meetings, meeting.investor.unavailable, meeting.startup.unavailable  # loaded before the race
            barrier.wait()
            try:
                services.move(admin, meeting, free)
                _db.session.commit()
                outcomes.append("moved")
            except RuleViolation as exc:
                _db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                _db.session.remove()

    at_once(attempt, ids, timeout=30)
    assert sorted(outcomes)[0] in {"FieldRuleViolation", "ScheduleChangedMeanwhile"} and "moved" in outcomes
    db.session.expire_all()
    assert sum(m.slot == free for m in db.session.get(MatchmakingDay, day.id).meetings) == 1


def test_a_solve_computed_before_a_move_is_refused(db, world, monkeypatch):
    day = world.day
    mark_all(world, {(0, 0): "must", (1, 0): "must"})
    services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    moved = day.meetings[0]
    real_solve = services.solver.solve

    def slow_solve(problem, time_limit):
        # another admin moves a meeting while this solve is computing
        _db.session.execute(sa.update(MatchmakingDay).where(MatchmakingDay.id == day.id)
                            .values(version=MatchmakingDay.version + 1))
        return real_solve(problem, time_limit)

    monkeypatch.setattr(services.solver, "solve", slow_solve)
    with pytest.raises(services.ScheduleChangedMeanwhile):
        services.solve_day(world.admin, day, time_limit=1)
    assert db.session.get(MatchmakingMeeting, moved.id) is not None


def test_publishing_tells_everyone_and_changes_afterwards_tell_only_those_affected(db, world):
    day = world.day
    mark_all(world, {(0, 0): "must", (1, 1): "must"})
    with pytest.raises(RuleViolation, match="先计算"):
        services.publish(world.admin, day)
    services.solve_day(world.admin, day, time_limit=5)
    services.publish(world.admin, day)
    db.session.commit()
    for person in [*world.investors, *world.founders]:
        assert kinds(db, person) == ["matchmaking_published"]
    with pytest.raises(RuleViolation, match="发布过"):
        services.publish(world.admin, day)
    db.session.rollback()
    meeting = next(m for m in day.meetings if m.investor_id == party_id(day, world.investors[0]))
    services.move(world.admin, meeting, (meeting.slot + 1) % day.slot_count)
    db.session.commit()
    changed = [p for p in [*world.investors, *world.founders] if "matchmaking_changed" in kinds(db, p)]
    assert changed == [world.investors[0], world.founders[0]]


def test_the_published_agenda_reaches_the_private_calendar_feed(db, world):
    day = world.day
    mark_all(world, {(0, 0): "must"})
    services.solve_day(world.admin, day, time_limit=5)
    db.session.commit()
    assert b"matchmaking-" not in ical.user_feed(world.investors[0])
    services.publish(world.admin, day)
    db.session.commit()
    for person in (world.investors[0], world.founders[0]):
        feed = ical.user_feed(person)
        assert feed.count(b"BEGIN:VEVENT") == 1 and b"matchmaking-" in feed
    assert b"matchmaking-" not in ical.user_feed(world.founders[1])


def test_only_investors_join_and_only_public_projects_are_invited(db, world, make_user, make_company, make_project):
    with pytest.raises(PermissionDenied):
        services.join(world.founders[0], world.day)
    draft = make_project(make_company(), ProjectStatus.DRAFT)
    with pytest.raises(RuleViolation, match="已公开"):
        services.add_startup(world.admin, world.day, draft)
    second = make_project(world.projects[0].company, ProjectStatus.APPROVED)
    with pytest.raises(RuleViolation, match="已有项目"):
        services.add_startup(world.admin, world.day, second)
    assert services.join(world.investors[0], world.day).id == party_id(world.day, world.investors[0])


def test_a_moved_meeting_stays_one_calendar_event_with_a_higher_sequence(db, world):
    from icalendar import Calendar

    day = world.day
    mark_all(world, {(0, 0): "must"})
    services.solve_day(world.admin, day, time_limit=5)
    services.publish(world.admin, day)
    db.session.commit()

    def events():
        return [(str(e["uid"]), int(e["sequence"]), e.decoded("dtstart"))
                for e in Calendar.from_ical(ical.user_feed(world.investors[0])).walk("VEVENT")]

    (uid, sequence, starts), = events()
    meeting = day.meetings[0]
    services.move(world.admin, meeting, (meeting.slot + 2) % day.slot_count)
    db.session.commit()
    (uid_after, sequence_after, starts_after), = events()
    assert uid_after == uid and sequence_after > sequence and starts_after != starts
