"""Live-room pages: who may open the room page, the session page's buttons, the record after the session."""
from datetime import date

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow_demo.seed import seed_demo
from roadshow.live.models import Interest, Question
from roadshow.roadshows.models import RoadshowSession, SessionStatus

from ..support.live_room import LiveClient


def test_room_page_for_attendees_host_panel_for_the_host_and_refusals_for_others(
        app, live_room, client, login, make_user):
    url = f"/live/{live_room.session.id}"
    assert client.get(url).headers["Location"].startswith("/login")
    login(make_user(Role.INVESTOR))
    refused = client.get(url)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/sessions/{live_room.session.id}")

    seated = LiveClient(app, live_room.investors[0], None, auth={})  # an HTTP login only; the socket is refused
    page = seated.http.get(url).get_data(as_text=True)
    assert 'id="live-ask"' in page and 'id="live-host"' not in page and "live.js" in page
    host = LiveClient(app, live_room.host, None, auth={})
    assert 'id="live-host"' in host.http.get(url).get_data(as_text=True)


def test_session_page_links_to_the_live_room_while_live_and_to_the_record_after(app, live_room, db):
    seated = LiveClient(app, live_room.investors[0], None, auth={})
    detail = f"/sessions/{live_room.session.id}"
    assert "进入直播间" in seated.http.get(detail).get_data(as_text=True)
    live_room.session.status = SessionStatus.ENDED
    db.session.commit()
    assert "路演记录" in seated.http.get(detail).get_data(as_text=True)


def test_record_waits_for_the_end_of_the_session(app, live_room):
    seated = LiveClient(app, live_room.investors[0], None, auth={})
    response = seated.http.get(f"/live/{live_room.session.id}/record")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/live/{live_room.session.id}")


def test_demo_past_session_record_shows_questions_votes_and_interest(app, db, client, login):
    seed_demo(today=date(2026, 3, 11))
    db.session.commit()
    session = db.session.scalars(sa.select(RoadshowSession).join(Question).distinct()).one()
    assert session.status == SessionStatus.ENDED
    admin = db.session.scalars(sa.select(User).where(User.email == "admin@roadshow.demo")).one()
    login(admin, password="roadshow-demo-2026")
    html = client.get(f"/live/{session.id}/record").get_data(as_text=True)
    top = db.session.scalars(sa.select(Question).where(Question.session_id == session.id)
                             .order_by(Question.votes.desc())).first()
    assert top.votes > 0 and top.body in html
    assert "匿名提问" in html
    interested = db.session.scalar(sa.select(sa.func.count()).select_from(Interest)
                                   .where(Interest.session_id == session.id))
    assert interested > 0
    assert f'<div class="num">{interested}</div>' in html
