"""Property-based fuzzing of every HTML form: whatever a browser (or an attacker) posts, the answer
is a page or a redirect, never a server error, and the database is left consistent."""
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadshow.accounts.models import Role, User
from roadshow_demo.seed import seed_demo
from roadshow.investors.models import Institution
from roadshow.projects.models import Company

from .conftest import PASSWORD
from .support.routes import sample_url

NOT_FUZZED = {"/logout"}  # ends the fuzzing session itself
INPUT_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9" * 40, "2026-02-30", "2026-13-01T25:61",
                     "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "🚀" * 50, "../../etc/passwd"]),
)


@pytest.fixture
def superuser(app, db, client):
    seed_demo()
    user = db.session.scalars(sa.select(User).order_by(User.id)).first()
    for role in Role:
        user.grant(role)
    user.set_password(PASSWORD)
    user.company = db.session.scalars(sa.select(Company)).first()
    user.institution = db.session.scalars(sa.select(Institution)).first()
    db.session.commit()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return user


def form_routes(app) -> list[tuple[str, str]]:
    """(GET url, POST url) for every non-API route that takes POST, with ids of demo rows."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/") or rule.rule in NOT_FUZZED:
            continue
        url = sample_url(app, rule)
        routes.append((url if "GET" in rule.methods else None, url))
    return routes


def field_names(client, url: str | None) -> list[str]:
    if url is None:
        return ["reason", "note", "name"]
    return sorted(set(INPUT_NAME.findall(client.get(url).get_data(as_text=True))) - {"csrf_token"}) or ["x"]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_no_form_post_causes_a_server_error(app, client, superuser, data):
    for get_url, post_url in form_routes(app):
        names = field_names(client, get_url)
        payload = {name: data.draw(hostile_text, label=f"{post_url} {name}") for name in names}
        response = client.post(post_url, data=payload)
        assert response.status_code < 500, (post_url, payload, response.get_data(as_text=True)[:300])
