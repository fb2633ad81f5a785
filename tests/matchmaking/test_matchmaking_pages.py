"""The pages: an investor joins and marks, a startup marks, the admin solves, moves, publishes; agendas."""
import re
from datetime import timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.timeutil import utcnow
from roadshow.matchmaking import services
from roadshow.matchmaking.models import MatchmakingDay, MatchmakingMeeting, MatchmakingPreference

from .conftest import party_id


def csrf(page: str) -> str:
    """The page's token (tests run with CSRF checks off, so an empty one does too)."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return found.group(1) if found else ""


def test_investor_joins_marks_and_after_publishing_sees_the_agenda(db, client, login, switch_to, world, make_user,
                                                                     make_institution):
    newcomer = make_user(Role.INVESTOR)
    make_institution(newcomer)
    day = world.day
    login(newcomer)
    page = client.get(f"/matchmaking/{day.id}").get_data(as_text=True)
    assert "报名参加" in page
    client.post(f"/matchmaking/{day.id}/join", data={"csrf_token": csrf(page)})
    page = client.get(f"/matchmaking/{day.id}").get_data(as_text=True)
    startup = party_id(day, world.founders[0])
    assert f'name="mark-{startup}"' in page
    response = client.post(f"/matchmaking/{day.id}/marks", data={
        "csrf_token": csrf(page), f"mark-{startup}": "must", "unavailable": ["2"]})
    assert response.status_code == 302
    me = services.party_of(newcomer, day)
    assert services.marks_of(me) == {startup: services.Mark.MUST} and me.unavailable == {2}

    # a mark outside the choices: the form says so, nothing changes
    response = client.post(f"/matchmaking/{day.id}/marks", data={"csrf_token": csrf(page), f"mark-{startup}": "maybe"})
    assert response.status_code == 422 and "is-invalid" in response.get_data(as_text=True)
    assert services.marks_of(me) == {startup: services.Mark.MUST}

    switch_to(world.founders[0])
    page = client.get(f"/matchmaking/{day.id}").get_data(as_text=True)
    client.post(f"/matchmaking/{day.id}/marks", data={"csrf_token": csrf(page), f"mark-{me.id}": "like"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchmakingPreference)) == 2

    switch_to(world.admin)
    page = client.get(f"/matchmaking/{day.id}/schedule").get_data(as_text=True)
    client.post(f"/matchmaking/{day.id}/solve", data={"csrf_token": csrf(page)})
    page = client.get(f"/matchmaking/{day.id}/schedule").get_data(as_text=True)
    meeting = db.session.scalars(sa.select(MatchmakingMeeting)).one()
    assert meeting.slot != 2 and f"/matchmaking/meetings/{meeting.id}" in page
    client.post(f"/matchmaking/{day.id}/publish", data={"csrf_token": csrf(page)})
    assert db.session.get(MatchmakingDay, day.id).is_published

    switch_to(newcomer)
    page = client.get(f"/matchmaking/{day.id}").get_data(as_text=True)
    assert "我的日程" in page and world.projects[0].title in page
    ics = client.get(f"/matchmaking/{day.id}/agenda.ics")
    assert ics.mimetype == "text/calendar" and ics.get_data().count(b"BEGIN:VEVENT") == 1
    assert day.title in client.get("/matchmaking/").get_data(as_text=True)


def test_admin_creates_a_day_and_moves_a_meeting_from_the_grid(db, client, login, world):
    login(world.admin)
    page = client.get("/matchmaking/new").get_data(as_text=True)
    start = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT10:00")
    late = (utcnow() + timedelta(days=11)).strftime("%Y-%m-%dT10:00")
    form = {"csrf_token": csrf(page), "title": "集成电路专场对接会", "session_id": "", "starts_at": start,
            "slot_minutes": "15", "slot_count": "12", "rooms": "4", "deadline": late, "location": "3 楼"}
    response = client.post("/matchmaking/new", data=form)
    assert response.status_code == 200 and "不能晚于" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchmakingDay)) == 1
    response = client.post("/matchmaking/new", data={**form, "deadline": start})
    assert response.status_code == 302
    new = db.session.scalars(sa.select(MatchmakingDay).order_by(MatchmakingDay.id.desc())).first()
    assert new.rooms == 4 and new.slot_count == 12

    day = world.day
    services.save_marks(world.investors[0], day, {party_id(day, world.founders[0]): "must"}, set())
    services.solve_day(world.admin, day, time_limit=2)
    db.session.commit()
    meeting = day.meetings[0]
    page = client.get(f"/matchmaking/meetings/{meeting.id}").get_data(as_text=True)
    target = (meeting.slot + 1) % day.slot_count
    response = client.post(f"/matchmaking/meetings/{meeting.id}", data={"csrf_token": csrf(page), "slot": str(target)})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(MatchmakingMeeting, meeting.id)
    assert moved.slot == target and moved.pinned
    response = client.post(f"/matchmaking/meetings/{meeting.id}", data={"csrf_token": csrf(page), "slot": "99"})
    assert response.status_code == 200 and "时段编号" in response.get_data(as_text=True)
    client.post(f"/matchmaking/meetings/{meeting.id}/pin", data={"csrf_token": csrf(page)})
    db.session.expire_all()
    assert not db.session.get(MatchmakingMeeting, meeting.id).pinned


def test_pages_are_only_for_those_taking_part(db, client, login, switch_to, world, make_user, make_company):
    outsider = make_user(Role.STARTUP)
    make_company(outsider)
    login(outsider)
    assert client.get(f"/matchmaking/{world.day.id}").status_code == 404
    assert client.get(f"/matchmaking/{world.day.id}/schedule").status_code == 403
    switch_to(world.investors[0])
    assert client.get(f"/matchmaking/{world.day.id}/agenda.ics").status_code == 404  # not published yet
