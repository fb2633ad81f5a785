"""Login throttle: failed logins limited per account and per client IP, with a clear 429 page."""
import pytest

from roadshow.accounts.models import Role


@pytest.fixture
def limits(app):
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT="3/minute", LOGIN_LIMIT_PER_IP="5/minute")


def attempt(client, email, password="wrong-password", ip="203.0.113.7"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def test_failed_logins_for_one_account_are_throttled(client, make_user, limits):
    user = make_user(Role.INVESTOR)
    statuses = [attempt(client, user.email).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # the form again, with "wrong password"
    blocked = attempt(client, user.email, password="correct-horse-battery")  # even the right password waits
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.get_data(as_text=True)
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    # the same account from another address is still blocked; another account is not
    assert attempt(client, user.email.upper(), ip="198.51.100.1").status_code == 429
    assert attempt(client, "someone-else@example.com").status_code == 200


def test_failed_logins_from_one_address_are_throttled_across_accounts(client, limits):
    statuses = [attempt(client, f"guess{n}@example.com").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    assert attempt(client, "guess9@example.com", ip="198.51.100.1").status_code == 200


def test_successful_logins_do_not_count(client, make_user, limits):
    user = make_user(Role.INVESTOR)
    for _ in range(5):
        assert attempt(client, user.email, password="correct-horse-battery").status_code == 302
        client.post("/logout")
    assert attempt(client, user.email).status_code == 200


def test_viewing_the_login_page_is_never_throttled(client, limits):
    # the address has used up its failed logins: its next attempt is refused ...
    assert [attempt(client, f"guess{n}@example.com").status_code for n in range(6)][-1] == 429
    # ... but the same address can still open the login page
    assert client.get("/login", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200
