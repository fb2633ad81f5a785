"""Registration, login and logout as each role would do it."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.accounts.services import CONFIRM_MAX_AGE
from roadshow.common.timeutil import utcnow
from roadshow.jobs.runner import run_job
from roadshow.extensions import db as _db
from roadshow.notifications.models import OutboxEmail

from ..conftest import PASSWORD


def register(client, role="startup", email="founder@example.com", password=PASSWORD, confirm=None, name="张三"):
    return client.post(
        "/register",
        data={"role": role, "name": name, "email": email, "password": password, "confirm": confirm or password},
    )


def mailed_link(db, email, path):
    """The newest link to `path` in the emails queued for this address (the user opening their mail)."""
    bodies = db.session.scalars(
        sa.select(OutboxEmail.body).where(OutboxEmail.to_address == email).order_by(OutboxEmail.id.desc())
    )
    for body in bodies:
        if match := re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", body):
            return match.group(1)
    return None


def confirmation_mails(db, email):
    bodies = db.session.scalars(sa.select(OutboxEmail.body).where(OutboxEmail.to_address == email))
    return [body for body in bodies if "/register/confirm/" in body]


@pytest.mark.parametrize("role, landing", [("startup", "/my/projects"), ("investor", "/my/institution")])
def test_self_registration_is_confirmed_by_email_then_lands_on_role_page(client, db, role, landing):
    response = register(client, role=role)
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/sent")
    assert "请打开邮件中的链接完成注册" in client.get("/register/sent").get_data(as_text=True)
    user = _db.session.scalars(_db.select(User)).one()
    assert user.roles == {Role(role)} and not user.email_confirmed
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)
    assert client.get("/account").status_code == 302  # not signed in yet
    link = mailed_link(db, "founder@example.com", "/register/confirm/")
    assert "确认并登录" in client.get(link).get_data(as_text=True)
    assert not _db.session.get(User, user.id).email_confirmed  # opening the link (a mail scanner) is not enough
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(landing)
    assert client.get("/account").status_code == 200  # the session is real
    client.post("/logout")
    again = client.get(link)  # the link signs in once only
    assert again.status_code == 302 and again.headers["Location"].endswith("/login")


def test_an_unconfirmed_account_cannot_log_in_and_gets_a_new_link(client, db):
    register(client)
    wrong = client.post("/login", data={"email": "founder@example.com", "password": "not-the-password"})
    assert "邮箱或密码不正确" in wrong.get_data(as_text=True)  # no hint without the password
    right = client.post("/login", data={"email": "founder@example.com", "password": PASSWORD})
    assert right.status_code == 200 and "请先打开确认邮件中的链接" in right.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    # a second confirmation mail went out (its link may equal the first within the same second), and it works
    assert len(confirmation_mails(db, "founder@example.com")) == 2
    assert client.post(mailed_link(db, "founder@example.com", "/register/confirm/")).status_code == 302
    assert client.get("/account").status_code == 200


def test_registering_again_before_confirming_replaces_the_details_and_the_link(client, db):
    register(client, role="startup", name="张三")
    first = mailed_link(db, "founder@example.com", "/register/confirm/")
    register(client, role="investor", name="李四", password="Another-Valley-Laser-42")
    user = _db.session.scalars(_db.select(User)).one()
    assert (user.name, user.roles) == ("李四", {Role.INVESTOR}) and user.check_password("Another-Valley-Laser-42")
    assert client.get(first).headers["Location"].endswith("/register")  # the earlier link stopped working
    assert client.post(mailed_link(db, "founder@example.com", "/register/confirm/")).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_password_reset_confirms_an_unconfirmed_address(client, db):
    register(client)  # perhaps by someone else: the owner of the mailbox takes the account over by a reset
    client.post("/password/forgot", data={"email": "founder@example.com"})
    client.post(mailed_link(db, "founder@example.com", "/password/reset/"),
                data={"password": "Owner-Valley-Laser-31", "confirm": "Owner-Valley-Laser-31"})
    assert client.post("/login", data={"email": "founder@example.com", "password": "Owner-Valley-Laser-31"}).status_code == 302


def test_registration_cannot_claim_admin_role(client):
    response = register(client, role="admin")
    assert response.status_code == 200
    assert _db.session.scalar(_db.select(_db.func.count(User.id))) == 0


def test_registering_a_taken_email_changes_nothing_about_that_account(client, make_user):
    owner = make_user(Role.STARTUP, email="Founder@Example.com")
    response = register(client, email="FOUNDER@example.COM", role="investor", password="Intruder-Valley-Laser-8")
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/sent")
    assert _db.session.scalar(_db.select(_db.func.count(User.id))) == 1
    owner = _db.session.get(User, owner.id)
    assert owner.roles == {Role.STARTUP} and owner.check_password(PASSWORD)


def test_registration_form_errors_rerender_and_store_nothing(client):
    response = register(client, email="not-an-email", password="short", confirm="other")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "邮箱格式不正确" in page and "密码长度须为" in page
    assert _db.session.scalar(_db.select(_db.func.count(User.id))) == 0


@pytest.mark.parametrize(
    "role, landing",
    [
        (Role.STARTUP, "/my/projects"),
        (Role.INVESTOR, "/my/institution"),
        (Role.HOST, "/"),
        (Role.REVIEWER, "/screening/reviews"),  # where their work is
        (Role.ADMIN, "/admin/"),
        (Role.ORGANISER, "/organise/"),
        (Role.GOVERNMENT, "/government"),
    ],
)
def test_each_role_logs_in(client, make_user, role, landing):
    user = make_user(role, email=f"{role.value}@example.com")
    response = client.post("/login", data={"email": f"{role.value.upper()}@EXAMPLE.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(landing)
    assert _db.session.get(User, user.id).last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user):
    make_user(Role.STARTUP, email="a@example.com")
    wrong = client.post("/login", data={"email": "a@example.com", "password": "nope-nope-nope"})
    unknown = client.post("/login", data={"email": "b@example.com", "password": "nope-nope-nope"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "邮箱或密码不正确" in response.get_data(as_text=True)


def test_disabled_account_cannot_log_in(client, make_user):
    user = make_user(Role.INVESTOR, email="off@example.com")
    user.is_disabled = True
    _db.session.commit()
    response = client.post("/login", data={"email": "off@example.com", "password": PASSWORD})
    assert response.status_code == 200


def test_login_next_parameter_never_redirects_off_site(client, make_user):
    make_user(Role.STARTUP, email="a@example.com")
    data = {"email": "a@example.com", "password": PASSWORD}
    assert client.post("/login?next=//evil.example/x", data=data).headers["Location"].endswith("/my/projects")
    client.post("/logout")
    assert client.post("/login?next=/sessions", data=data).headers["Location"].endswith("/sessions")


def test_logout_ends_the_session(client, make_user, login):
    login(make_user(Role.STARTUP))
    assert client.get("/account").status_code == 200
    assert client.post("/logout").status_code == 302
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_requires_post(client, make_user, login):
    login(make_user(Role.STARTUP))
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_change_password(client, make_user, login):
    user = make_user(Role.STARTUP, email="a@example.com")
    login(user)
    bad = client.post(
        "/account/password",
        data={"password-current": "wrong-password", "password-password": "new-password-123", "password-confirm": "new-password-123"},
    )
    assert bad.status_code == 400 and "当前密码不正确" in bad.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={"password-current": PASSWORD, "password-password": "new-password-123", "password-confirm": "new-password-123"},
    )
    assert ok.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": "a@example.com", "password": "new-password-123"}).status_code == 302


def test_create_admin_cli(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "Boss@Example.com", "--password", "an-admin-password"])
    assert result.exit_code == 0, result.output
    user = _db.session.scalars(_db.select(User).where(User.email == "boss@example.com")).one()
    assert user.is_admin and user.check_password("an-admin-password")


def test_registrations_left_unconfirmed_are_purged_once_their_link_has_expired(client, db, make_user):
    confirmed = make_user(Role.STARTUP)
    register(client, email="stale@example.com")
    register(client, email="recent@example.com")
    later = utcnow() + timedelta(seconds=CONFIRM_MAX_AGE, minutes=1)
    # registered again (new details, a new link) just before the purge runs
    db.session.execute(sa.update(User).where(User.email == "recent@example.com").values(updated_at=later))
    db.session.commit()
    run = run_job("unconfirmed_purge", now=later)
    assert dict(run.summary_items) == {"deleted": 1}
    assert set(db.session.scalars(sa.select(User.email))) == {confirmed.email, "recent@example.com"}
    assert register(client, email="stale@example.com").headers["Location"].endswith("/register/sent")
