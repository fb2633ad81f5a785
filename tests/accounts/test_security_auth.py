"""Authentication hardening: password policy, logout and password changes end sessions, reset links."""
import re

import sqlalchemy as sa
from flask import current_app

from roadshow.accounts import reset
from roadshow.accounts.models import Role
from roadshow.notifications.models import OutboxEmail

from ..conftest import PASSWORD


def register(client, email="founder@example.com", password="Guanggu-Laser-2031", name="张三"):
    return client.post("/register", data={"role": "startup", "name": name, "email": email,
                                          "password": password, "confirm": password})


def test_common_and_personal_passwords_are_refused_with_a_reason(client):
    for weak in ("password1234", "qwertyuiop123", "1234567890ab"):
        page = register(client, password=weak)
        assert page.status_code == 200 and "太常见或太容易猜到" in page.get_data(as_text=True)
    assert "太常见" in register(client, email="zhangwei1988@example.com", password="zhangwei1988").get_data(as_text=True)
    assert "密码长度须为" in register(client, password="Sh0rt!").get_data(as_text=True)
    assert register(client).status_code == 302


def test_logout_invalidates_a_copied_session_cookie(app, client, make_user, login):
    user = make_user(Role.STARTUP)
    login(user)
    stolen = client.get_cookie("session").value
    assert client.get("/account").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_password_logs_out_other_devices_but_not_this_one(app, client, make_user, login):
    user = make_user(Role.STARTUP)
    login(user)
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/account").status_code == 200
    response = client.post("/account/password", data={"password-current": PASSWORD,
                                                      "password-password": "Brand-New-Laser-77",
                                                      "password-confirm": "Brand-New-Laser-77"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302


def _reset_link(db, email):
    body = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == email)).one().body
    base = re.escape(current_app.config["PUBLIC_BASE_URL"])  # the link names the site, whatever Host was sent
    return re.search(base + r"(/password/reset/\S+)", body).group(1)


def test_password_reset_link_works_once(client, db, make_user):
    user = make_user(Role.INVESTOR)
    response = client.post("/password/forgot", data={"email": user.email.upper()})
    assert response.status_code == 302
    link = _reset_link(db, user.email)
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "password1234", "confirm": "password1234"})
    assert "太常见" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": "Reset-Laser-Valley-9", "confirm": "Reset-Laser-Valley-9"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert client.post("/login", data={"email": user.email, "password": "Reset-Laser-Valley-9"}).status_code == 302
    client.post("/logout")
    reused = client.get(link)
    assert reused.status_code == 302 and reused.headers["Location"].endswith("/password/forgot")


def test_reset_links_expire_and_unknown_emails_get_the_same_answer(client, db, make_user, monkeypatch):
    user = make_user()
    token = reset.make_reset_token(user)
    monkeypatch.setattr(reset, "RESET_MAX_AGE", -1)
    assert client.get(f"/password/reset/{token}").status_code == 302
    assert client.get("/password/reset/garbage").status_code == 302
    known = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True).get_data(as_text=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True).get_data(as_text=True)
    assert "如果该邮箱已注册" in known and "如果该邮箱已注册" in unknown
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 1
