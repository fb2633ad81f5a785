"""Meetings through the pages: the project page's button, accepting with a slot, both sides' lists, the iCal feed."""
from datetime import timedelta

import sqlalchemy as sa
from icalendar import Calendar

from roadshow.accounts.models import Role
from roadshow.common.timeutil import to_local, utcnow
from roadshow.meetings.models import AvailabilitySlot, MeetingRequest, MeetingStatus
from roadshow.scheduling.ical import ensure_feed


def test_from_project_page_to_an_accepted_meeting_in_both_lists_and_the_calendar(db, client, login, switch_to,
                                                                                  meeting_parties):
    founder, project, investor = meeting_parties
    login(investor)
    assert "发起约见" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    client.post(f"/meetings/request/{project.id}", data={"message": "想参观产线"})
    meeting = db.session.scalar(sa.select(MeetingRequest))
    assert "查看约见" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    mine = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "交易进度" in mine and "有意向" in mine  # the request opened the deal pipeline entry

    switch_to(founder)
    day = to_local(utcnow() + timedelta(days=3)).date()
    response = client.post("/meetings/availability", data={"day": day.isoformat(), "start": "10:00",
                                                           "minutes": "60", "location": "光谷金融港"},
                           follow_redirects=True)
    assert "已发布可约时段" in response.get_data(as_text=True)
    slot = db.session.scalar(sa.select(AvailabilitySlot))
    detail = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "想参观产线" in detail and "接受并确认时间" in detail
    client.post(f"/meetings/{meeting.id}/accept", data={"slot_id": slot.id})
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.ACCEPTED
    assert project.title in client.get("/meetings/").get_data(as_text=True)

    switch_to(investor)
    mine = client.get("/meetings/").get_data(as_text=True)
    assert "即将进行" in mine and f"{day:%Y-%m-%d}" in mine
    token = ensure_feed(investor).token
    db.session.commit()
    # parsed, not searched as text: iCalendar folds long lines, which may split the title
    events = Calendar.from_ical(client.get(f"/calendar/feed/{token}.ics").data).walk("VEVENT")
    meeting_event = next(e for e in events if str(e["uid"]).startswith(f"meeting-{meeting.id}@"))
    assert project.title in str(meeting_event["summary"])


def test_past_slot_and_foreign_meeting_are_refused_with_a_message(db, client, login, switch_to, meeting_parties,
                                                                  make_user, make_institution):
    founder, project, investor = meeting_parties
    login(founder)
    yesterday = to_local(utcnow() - timedelta(days=1)).date()
    page = client.post("/meetings/availability", data={"day": yesterday.isoformat(), "start": "10:00",
                                                       "minutes": "60"}).get_data(as_text=True)
    assert "不能发布已经过去的时间" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AvailabilitySlot)) == 0

    switch_to(investor)
    client.post(f"/meetings/request/{project.id}", data={})
    meeting = db.session.scalar(sa.select(MeetingRequest))
    outsider = make_user(Role.INVESTOR)
    make_institution(outsider)
    switch_to(outsider)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/cancel", data={}).status_code == 404
