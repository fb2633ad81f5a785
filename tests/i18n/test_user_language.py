"""Each user's language is saved (on the page they register on, and whenever they switch), and what is
written to them later — notifications and their emails — is in it, whatever language the sender reads."""
from datetime import timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.meetings import services as meetings
from roadshow.notifications.models import Notification, OutboxEmail
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows import curation
from roadshow.roadshows.models import Booking
from roadshow.scheduling.reminders import send_reminders
from roadshow.screening import services as screening

from ..conftest import PASSWORD


def newest(db, model, **where):
    query = sa.select(model).filter_by(**where).order_by(model.id.desc())
    return db.session.scalars(query).first()


def test_registering_on_an_english_page_mails_the_confirmation_in_english(client, db):
    client.set_cookie("lang", "en")
    client.post("/register", data={"role": "investor", "name": "Alice Chen", "email": "alice@example.com",
                                   "password": "Optics-Valley-Laser-42", "confirm": "Optics-Valley-Laser-42"})
    user = db.session.scalars(sa.select(User).where(User.email == "alice@example.com")).one()
    assert user.language == "en"
    mail = newest(db, OutboxEmail, to_address="alice@example.com")
    assert mail.subject == "Please confirm your registration at the Optics Valley Sci-Tech Roadshow Center"


def test_a_user_who_switched_to_english_is_told_of_a_cancelled_session_in_english(client, db, login, make_user,
                                                                                make_session):
    english, chinese = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    session = make_session(title="光电子信息专场", title_en="Optoelectronics Special")
    db.session.add_all([Booking(session=session, user=english), Booking(session=session, user=chinese)])
    db.session.commit()
    login(english)
    client.get("/lang/en?next=/")
    db.session.refresh(english)
    assert english.language == "en"

    client.set_cookie("lang", "zh_CN")  # whoever cancels reads Chinese: each reader still gets their own language
    curation.cancel_session(session, "场地检修")
    db.session.commit()

    note = newest(db, Notification, user_id=english.id)
    assert note.title == "Roadshow cancelled: Optoelectronics Special"
    assert newest(db, OutboxEmail, to_address=english.email).subject == note.title
    assert newest(db, Notification, user_id=chinese.id).title == "路演已取消：光电子信息专场"


def test_reminders_are_written_in_each_readers_language(db, make_user, make_session):
    english, chinese = make_user(Role.INVESTOR, language="en"), make_user(Role.INVESTOR)
    session = make_session(title="人工智能专场", title_en="AI Special")
    db.session.add_all([Booking(session=session, user=english), Booking(session=session, user=chinese)])
    db.session.commit()
    send_reminders(session.starts_at - timedelta(hours=20))
    db.session.commit()
    assert newest(db, Notification, user_id=english.id).title == "Roadshow tomorrow: AI Special"
    assert newest(db, Notification, user_id=chinese.id).title == "明日路演提醒：人工智能专场"


def test_logging_in_on_a_new_browser_brings_back_the_saved_language(client, db, make_user):
    user = make_user(Role.INVESTOR, language="en")
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert '<html lang="en">' in client.get("/my/bookings").get_data(as_text=True)


def test_a_startups_members_hear_of_a_decision_each_in_their_language(db, make_user, make_company, make_project,
                                                                      make_series):
    founder, colleague = make_user(Role.STARTUP, language="en"), make_user(Role.STARTUP)
    company = make_company(founder)
    colleague.company = company
    project = make_project(company, ProjectStatus.SUBMITTED, title="硅光芯片")
    application = screening.apply(founder, project, series=make_series(name="每日路演", name_en="Daily Roadshow"))
    screening.accept(application, make_user(Role.ADMIN))
    db.session.commit()
    assert newest(db, Notification, user_id=founder.id).title == "Roadshow application accepted: 硅光芯片"
    assert "Daily Roadshow" in newest(db, Notification, user_id=founder.id).body
    assert newest(db, Notification, user_id=colleague.id).title == "路演申请已入选：硅光芯片"


def test_the_account_page_says_which_language_notifications_come_in(client, db, login, make_user):
    user = make_user(Role.INVESTOR)
    db.session.commit()
    login(user)
    assert "通知与邮件的语言：<span lang=\"zh-CN\">中文</span>" in client.get("/account").get_data(as_text=True)
    page = client.get("/account").get_data(as_text=True)
    assert 'lang="en">English</a>' in page
    client.get("/lang/en")  # the link on the account page
    db.session.refresh(user)
    assert user.language == "en"
    page = client.get("/account").get_data(as_text=True)
    assert "Notifications and emails in: <span lang=\"en\">English</span>" in page and 'lang="zh-CN">中文</a>' in page


def test_a_meeting_request_reaches_an_english_reading_founder_in_english(db, meeting_parties):
    founder, project, investor = meeting_parties
    founder.language = "en"
    db.session.commit()
    meetings.request_meeting(investor, project)
    db.session.commit()
    note = newest(db, Notification, user_id=founder.id)
    assert note.title.endswith(f"would like to meet “{project.title}”")
    assert note.body == "Please accept by choosing one of your available slots in “My meetings”, or decline."
