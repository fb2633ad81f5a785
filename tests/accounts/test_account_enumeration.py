"""Nobody learns whether an address has an account: register, login and password reset give the same answer
and do the same work (password hash computations, counted) for a registered address as for a new one, the
owner of a registered address is told by email instead, and registrations are limited per client address."""
import pytest
import sqlalchemy as sa
import werkzeug.security

from roadshow.accounts.models import Role
from roadshow.notifications.models import OutboxEmail

from ..conftest import PASSWORD

KNOWN, UNKNOWN = "owner@example.com", "nobody@example.com"
VISITOR_PASSWORD = "Guanggu-Laser-2031"


@pytest.fixture
def hash_work(monkeypatch):
    """The key derivations (scrypt) each request runs, by method and parameters: the work that takes time."""
    runs = []
    derive = werkzeug.security._hash_internal

    def counted(method, salt, password):
        runs.append(method)
        return derive(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counted)
    return runs


@pytest.fixture
def owner(make_user):
    return make_user(Role.STARTUP, email=KNOWN)


def answer(client, hash_work, path, email, **data):
    """What a visitor sees (status, where it leads, the page it leads to, with the address they typed blanked
    out) and how many hash computations the server ran for it."""
    hash_work.clear()
    response = client.post(path, data={"email": email, **data})
    location = response.headers.get("Location")
    page = client.get(location) if location else response
    seen = (response.status_code, location, page.get_data(as_text=True).replace(email, "<address>"))
    return seen, list(hash_work)


def register(client, hash_work, email, ip="203.0.113.7"):
    hash_work.clear()
    return client.post("/register", environ_base={"REMOTE_ADDR": ip}, data={
        "role": "investor", "name": "王五", "email": email, "password": VISITOR_PASSWORD, "confirm": VISITOR_PASSWORD})


def mails_to(db, address):
    return list(db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == address)))


def test_registering_a_registered_address_looks_and_costs_the_same_as_a_new_one(client, owner, hash_work):
    form = {"role": "investor", "name": "王五", "password": VISITOR_PASSWORD, "confirm": VISITOR_PASSWORD}
    known, known_work = answer(client, hash_work, "/register", KNOWN, **form)
    unknown, unknown_work = answer(client, hash_work, "/register", UNKNOWN, **form)
    assert known == unknown
    assert known[1].endswith("/register/sent")
    assert len(known_work) == len(unknown_work) == 1


def test_the_owner_is_emailed_instead_of_the_visitor_being_told(client, db, owner, hash_work):
    register(client, hash_work, KNOWN.upper())
    [mail] = mails_to(db, KNOWN)
    assert "有人尝试用您的邮箱注册" in mail.subject
    assert "/login" in mail.body and "/password/forgot" in mail.body
    assert "/register/confirm/" not in mail.body  # nothing in it signs anyone in to the existing account
    assert db.session.get(type(owner), owner.id).check_password(PASSWORD)  # the visitor's password is not set


def test_login_with_an_unknown_address_costs_the_same_as_a_wrong_password(client, owner, hash_work):
    wrong, wrong_work = answer(client, hash_work, "/login", KNOWN, password="not-the-password")
    unknown, unknown_work = answer(client, hash_work, "/login", UNKNOWN, password="not-the-password")
    assert wrong == unknown and wrong[0] == 200
    stored_method = owner.password_hash.rsplit("$", 2)[0]
    assert wrong_work == unknown_work == [stored_method]  # one check each, with the real hashes' parameters


def test_password_reset_looks_and_costs_the_same_for_an_unknown_address(client, db, owner, hash_work):
    known, known_work = answer(client, hash_work, "/password/forgot", KNOWN)
    unknown, unknown_work = answer(client, hash_work, "/password/forgot", UNKNOWN)
    assert known == unknown and known_work == unknown_work
    assert len(mails_to(db, KNOWN)) == 1 and mails_to(db, UNKNOWN) == []


def test_registrations_are_limited_per_client_address(app, client, owner, hash_work):
    app.config["REGISTER_LIMIT_PER_IP"] = "3/hour"
    mistake = client.post("/register", data={"email": "not-an-email"}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert mistake.status_code == 200  # a form shown again with a mistake does not count
    statuses = [register(client, hash_work, email).status_code for email in (KNOWN, "a@example.com", "b@example.com")]
    assert statuses == [302, 302, 302]
    blocked = register(client, hash_work, "c@example.com")
    assert blocked.status_code == 429
    assert "注册太多" in blocked.get_data(as_text=True)
    assert 0 < int(blocked.headers["Retry-After"]) <= 3600
    assert register(client, hash_work, "c@example.com", ip="198.51.100.1").status_code == 302
