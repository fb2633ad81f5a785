"""Every page carries the security headers; no page needs inline script or style; every form needs CSRF."""
import re

import pytest

from roadshow import create_app
from roadshow.accounts.models import Role, User
from roadshow.extensions import db as _db

from ..conftest import PASSWORD, config_for
from ..support.routes import sample_url

PAGES = ["/", "/sessions", "/projects", "/institutions", "/login", "/register", "/password/forgot",
         "/developers/api", "/calendar", "/no-such-page"]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_security_headers_and_no_inline_code(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert not INLINE.search(response.get_data(as_text=True))


def test_logged_in_pages_have_no_inline_code_either(client, make_user, login):
    login(make_user(Role.ADMIN, Role.INVESTOR, Role.STARTUP))
    for path in ("/admin/", "/account", "/notifications/", "/my/bookings", "/account/tokens/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not INLINE.search(response.get_data(as_text=True)), path


def test_session_cookie_is_httponly_and_samesite_and_secure_in_production(tmp_path, migrated_template):
    db_file = tmp_path / "prod.sqlite3"
    app = create_app({**config_for(tmp_path, db_file, template=migrated_template), "SECURE_COOKIES": True})
    with app.app_context():
        user = User(email="prod@example.com", name="生产环境")
        user.set_password(PASSWORD)
        user.grant(Role.INVESTOR)
        _db.session.add(user)
        _db.session.commit()
        _db.engine.dispose()
    response = app.test_client().post("/login", data={"email": "prod@example.com", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "max-age" in app.test_client().get("/").headers["Strict-Transport-Security"]


# nginx-rtmp's notifications: exempt from CSRF (nginx posts them from loopback), checked by stream key.
MEDIA_SERVER_HOOKS = {"/live/media/on_publish", "/live/media/on_publish_done", "/live/media/on_record_done"}


def test_every_form_post_without_csrf_token_is_refused(tmp_path, migrated_template):
    """Walks the URL map: every non-API route that accepts POST answers 400 without a CSRF token."""
    db_file = tmp_path / "csrf.sqlite3"
    app = create_app({**config_for(tmp_path, db_file, template=migrated_template), "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        response = client.post(sample_url(app, rule), data={"x": "y"})
        if rule.rule in MEDIA_SERVER_HOOKS:  # no browser sends these: without the stream key they are refused
            assert response.status_code == 403, (rule.rule, response.status_code)
            continue
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "安全校验" in response.get_data(as_text=True)
        checked += 1
    assert checked > 20
