"""Joining a live room sends the whole state to that client; when thousands arrive at a session's start this
is the server's main work (bench/scenario_live_prod.py, join_storm). Its database queries must not grow with
the room's content: one more slot in the lineup or one more asker used to cost more queries for every joiner
(each slot's project and company, each asker's institution, loaded one at a time)."""
from sqlalchemy import event

from roadshow.accounts.models import Role
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Slot

from ..support.live_room import book


def queries_to_join(db, connect, user, session) -> tuple[int, dict]:
    """The statements the server ran while `user` logged in and joined, and the state the client received."""
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client = connect(user, session)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    state = client.last("state")
    client.disconnect()
    return len(statements), state


def test_the_state_sent_on_joining_costs_the_same_queries_however_long_the_lineup_and_however_many_askers(
        app, db, live_room, connect, make_user, make_company, make_project, make_institution):
    session, (watcher, _) = live_room.session, live_room.investors
    connect(live_room.host, session)  # the room row exists and presence has started

    def question_from_a_new_asker(n: int) -> None:
        asker = make_user(Role.INVESTOR, name=f"提问人{n}")
        make_institution(asker)
        book(db, session, asker)
        ack = connect(asker, session).emit("ask", {"body": f"第{n}个问题：产能爬坡需要多久？"})
        assert ack["ok"], ack

    question_from_a_new_asker(0)
    before, state = queries_to_join(db, connect, watcher, session)
    assert len(state["lineup"]) == 2 and len(state["questions"]) == 1

    for position in range(3, 6):
        project = make_project(make_company(make_user(Role.STARTUP)), ProjectStatus.SCHEDULED)
        db.session.add(Slot(session=session, project=project, position=position, pitch_minutes=8, qa_minutes=5))
    db.session.commit()
    for n in range(1, 4):
        question_from_a_new_asker(n)

    after, state = queries_to_join(db, connect, watcher, session)
    assert len(state["lineup"]) == 5 and len(state["questions"]) == 4
    assert all(q["institution"] for q in state["questions"]) and all(s["company"] for s in state["lineup"])
    assert after == before
