"""Registration questions: asked on the registration form (the series' first, then the session's own), checked
before any seat is taken, managed by admins and the series' organiser only, exported as CSV and XLSX."""
import csv
from io import BytesIO, StringIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from roadshow.accounts.models import Role
from roadshow.organisers.models import DecisionStatus, Organiser, OrganiserKind, OrganiserMember
from roadshow.roadshows import registration
from roadshow.roadshows.models import (
    AttendeeType, Booking, QuestionKind, RegistrationAnswer, RegistrationQuestion, Series, SeriesKind, WaitlistEntry,
)
from roadshow.roadshows.services import request_seat

STAGES = "尚未启动\n已完成股改\n已申报"


@pytest.fixture
def make_organiser(db, make_user):
    """An approved organiser's member account and a training series of the organiser's own."""
    def make(slug: str):
        member = make_user(Role.ORGANISER, email=f"{slug}@example.com")
        organiser = Organiser(name=f"主办方{slug}", kind=OrganiserKind.UNIVERSITY, contact_name="联系人",
                              status=DecisionStatus.APPROVED)
        db.session.add(organiser)
        db.session.flush()
        db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=member.id))
        series = Series(name=f"{slug}培训", slug=slug, kind=SeriesKind.TRAINING, organiser_id=organiser.id,
                        startup_capacity=10)
        db.session.add(series)
        db.session.commit()
        return member, series
    return make


@pytest.fixture
def training(db, make_session, make_series):
    """A training session for startups: its series asks the company's listing stage (required, a choice), the
    session what to cover (optional text)."""
    series = make_series(kind=SeriesKind.TRAINING)
    session = make_session(capacity=0, startup_capacity=1, series=series, title="科创板上市规则培训")
    stage = registration.add_question(series, prompt="上市准备阶段", kind=QuestionKind.CHOICE, options=STAGES,
                                      required=True)
    wish = registration.add_question(session, prompt="希望重点讲解的问题", kind=QuestionKind.TEXT, options="",
                                     required=False)
    db.session.commit()
    return session, stage, wish


def rows(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def question_exists(db, question_id: int) -> bool:
    return db.session.scalar(sa.select(RegistrationQuestion.id).where(RegistrationQuestion.id == question_id)) is not None


def test_the_form_asks_the_series_questions_then_the_sessions(training):
    session, stage, wish = training
    assert registration.questions_for(session) == [stage, wish]


def test_a_missing_required_answer_or_an_unlisted_choice_takes_no_seat(db, make_user, training):
    session, stage, wish = training
    founder = make_user(Role.STARTUP)
    with pytest.raises(registration.AnswersRefused) as refused:
        request_seat(session, founder, attendee_type=AttendeeType.STARTUP, answers={wish.id: "估值"})
    assert refused.value.errors == {stage.id: "请回答“上市准备阶段”。"}
    db.session.rollback()
    with pytest.raises(registration.AnswersRefused) as refused:
        request_seat(session, founder, attendee_type=AttendeeType.STARTUP, answers={stage.id: "已经上市"})
    assert refused.value.errors == {stage.id: "“上市准备阶段”请从给出的选项中选择。"}
    db.session.rollback()
    assert rows(db, Booking) == rows(db, RegistrationAnswer) == 0 and session.startup_seats_taken == 0
    request_seat(session, founder, attendee_type=AttendeeType.STARTUP, answers={stage.id: "已申报", wish.id: " 估值 "})
    db.session.commit()
    assert registration.answers_of(session, founder) == {stage.id: "已申报", wish.id: "估值"}


def test_the_registration_page_re_renders_with_its_messages_and_writes_nothing(client, db, make_user, login,
                                                                                 training):
    session, stage, wish = training
    founder = make_user(Role.STARTUP)
    login(founder)
    detail = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert f'href="/sessions/{session.id}/register/startup"' in detail  # a link to the form, not a bare button
    form = client.get(f"/sessions/{session.id}/register/startup").get_data(as_text=True)
    assert "上市准备阶段" in form and "希望重点讲解的问题" in form and "以创业企业身份报名" in form
    refused = client.post(f"/sessions/{session.id}/register/startup", data={f"q{stage.id}": "", f"q{wish.id}": "估值"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "请回答“上市准备阶段”。" in page and "估值" in page  # kept what was typed
    refused = client.post(f"/sessions/{session.id}/register/startup", data={f"q{stage.id}": "已经上市"})
    assert refused.status_code == 422 and "请从给出的选项中选择" in refused.get_data(as_text=True)
    assert rows(db, Booking) == rows(db, RegistrationAnswer) == 0
    done = client.post(f"/sessions/{session.id}/register/startup", data={f"q{stage.id}": "已完成股改"},
                       follow_redirects=True)
    assert "预约成功" in done.get_data(as_text=True)
    assert registration.answers_of(session, founder)[stage.id] == "已完成股改"
    # the next startup finds the seat taken: the same form puts it on the waitlist, answers kept
    client.post("/logout")
    second = make_user(Role.STARTUP)
    login(second)
    assert "加入创业企业候补名单" in client.get(f"/sessions/{session.id}/register/startup").get_data(as_text=True)
    client.post(f"/sessions/{session.id}/register/startup", data={f"q{stage.id}": "尚未启动"})
    assert db.session.scalars(sa.select(WaitlistEntry.user_id)).all() == [second.id]
    assert registration.answers_of(session, second)[stage.id] == "尚未启动"


def test_an_organiser_manages_questions_of_its_own_sessions_only(client, db, login, switch_to, make_organiser,
                                                                  make_session, make_user):
    member, series = make_organiser("hust")
    other, other_series = make_organiser("whu")
    session = make_session(capacity=0, startup_capacity=10, series=series)
    theirs = make_session(capacity=0, startup_capacity=10, series=other_series)
    login(member)
    added = client.post(f"/sessions/{session.id}/questions",
                        data={"prompt": "所在行业", "kind": "choice", "options": "光电子\n生物医药", "required": "y"})
    assert added.status_code == 302
    client.post(f"/series/{series.id}/questions", data={"prompt": "参会人职务", "kind": "text"})
    # a choice question needs two options: the form says so and nothing is written
    refused = client.post(f"/sessions/{session.id}/questions", data={"prompt": "阶段", "kind": "choice", "options": "一"})
    assert refused.status_code == 200 and "至少要有两个选项" in refused.get_data(as_text=True)
    prompts = db.session.scalars(sa.select(RegistrationQuestion.prompt).order_by(RegistrationQuestion.id)).all()
    assert prompts == ["所在行业", "参会人职务"]
    assert [q.prompt for q in registration.questions_for(session)] == ["参会人职务", "所在行业"]
    own = db.session.scalars(sa.select(RegistrationQuestion.id).where(RegistrationQuestion.session_id == session.id)).one()
    # another organiser's session and series are missing for this one, whatever the route
    for url in (f"/sessions/{theirs.id}/questions", f"/sessions/{theirs.id}/registrations",
                f"/sessions/{theirs.id}/registrations/export.csv", f"/sessions/{theirs.id}/registrations/export.xlsx",
                f"/series/{other_series.id}/questions"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/sessions/{theirs.id}/questions", data={"prompt": "x", "kind": "text"}).status_code == 404
    assert client.post(f"/series/{other_series.id}/questions", data={"prompt": "x", "kind": "text"}).status_code == 404
    switch_to(other)
    assert client.post(f"/sessions/{session.id}/questions/{own}/delete").status_code == 404
    assert question_exists(db, own)
    # a startup or an investor has no business there either; the center's admins have
    switch_to(make_user(Role.STARTUP))
    assert client.get(f"/sessions/{session.id}/questions").status_code == 404
    switch_to(make_user(Role.ADMIN))
    assert client.get(f"/sessions/{theirs.id}/questions").status_code == 200
    switch_to(member)
    client.post(f"/sessions/{session.id}/questions/{own}/delete")
    assert not question_exists(db, own)


def test_the_export_lists_every_registrant_with_type_status_and_answers(client, db, login, make_user, make_session,
                                                                         make_organiser):
    member, series = make_organiser("hust")
    session = make_session(capacity=1, startup_capacity=1, public_capacity=5, series=series)
    stage = registration.add_question(series, prompt="上市准备阶段", kind=QuestionKind.CHOICE, options=STAGES,
                                      required=True)
    note = registration.add_question(session, prompt="备注", kind=QuestionKind.TEXT, options="", required=False)
    founder, waiting = make_user(Role.STARTUP, name="张创业"), make_user(Role.STARTUP, name="李候补")
    citizen = make_user(Role.REVIEWER, name="王公众")
    request_seat(session, founder, attendee_type=AttendeeType.STARTUP, answers={stage.id: "已申报", note.id: "=1+1"})
    request_seat(session, waiting, attendee_type=AttendeeType.STARTUP, answers={stage.id: "尚未启动"})
    request_seat(session, citizen, attendee_type=AttendeeType.PUBLIC, answers={stage.id: "已完成股改"})
    db.session.commit()
    login(member)
    listing = client.get(f"/sessions/{session.id}/registrations").get_data(as_text=True)
    assert all(text in listing for text in ("张创业", "李候补", "王公众", "已申报", "候补", "公众", "上市准备阶段"))

    response = client.get(f"/sessions/{session.id}/registrations/export.csv")
    assert response.mimetype == "text/csv"
    table = list(csv.reader(StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == ["姓名", "邮箱", "报名类型", "状态", "报名时间（UTC）", "上市准备阶段", "备注"]
    by_name = {row[0]: row for row in table[1:]}
    assert set(by_name) == {"张创业", "李候补", "王公众"}
    assert by_name["张创业"][2:4] == ["创业企业", "已报名"] and by_name["张创业"][5:] == ["已申报", "'=1+1"]
    assert by_name["李候补"][2:4] == ["创业企业", "候补"] and by_name["李候补"][5] == "尚未启动"
    assert by_name["王公众"][2:4] == ["公众", "已报名"] and by_name["王公众"][1] == citizen.email

    sheet = load_workbook(BytesIO(client.get(f"/sessions/{session.id}/registrations/export.xlsx").data)).active
    values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == table[0]
    assert sorted(tuple(row) for row in values[1:]) == sorted(tuple(row) for row in table[1:])
