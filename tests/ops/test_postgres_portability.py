"""What differs between SQLite and PostgreSQL must not show to users: these run on both legs."""
import sqlalchemy as sa

from roadshow.accounts.models import Role, User


def test_nul_characters_in_input_never_cause_a_server_error(client, db, make_user, login):
    """PostgreSQL text cannot hold NUL (SQLite's can): it is dropped, in searches and in saved fields alike."""
    assert client.get("/projects", query_string={"q": "光\x00谷"}).status_code == 200
    user = make_user(Role.STARTUP)
    login(user)
    response = client.post("/account", data={"profile-name": "王\x00五", "profile-phone": ""})
    assert response.status_code in (200, 302)
    stored = db.session.scalar(sa.select(User.name).where(User.id == user.id))
    assert stored.replace("\x00", "") == "王五"
