"""JSON API v1: public reads, token auth and scopes, validation errors, keyset pagination."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.api import tokens
from roadshow.api.models import ApiToken
from roadshow.common.choices import IndustryChain
from roadshow.common.timeutil import to_local
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Booking, BookingStatus, Slot


@pytest.fixture
def token_for(db):
    def make(user, *scopes):
        _token, plaintext = tokens.create_token(user, "对接测试", list(scopes or ("read",)))
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}

    return make


def problem_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_sessions_filter_by_local_dates_and_chain(client, make_session):
    soon = make_session(starts_in=timedelta(days=1), industry_chain=IndustryChain.INTEGRATED_CIRCUITS)
    later = make_session(starts_in=timedelta(days=9))
    day = to_local(soon.starts_at).date()
    items = client.get(f"/api/v1/sessions?from={day}&to={day}").get_json()["items"]
    assert [s["id"] for s in items] == [soon.id]
    assert items[0]["starts_at"].endswith("+08:00") and items[0]["seats_left"] == soon.capacity
    chain = client.get("/api/v1/sessions?chain=integrated_circuits").get_json()["items"]
    assert [s["id"] for s in chain] == [soon.id]
    assert later.id in [s["id"] for s in client.get("/api/v1/sessions").get_json()["items"]]


def test_pagination_follows_next_links_without_gaps_or_repeats(client, make_session):
    ids = [make_session(starts_in=timedelta(days=1, hours=3 * i)).id for i in range(5)]
    seen, url = [], "/api/v1/sessions?limit=2"
    while url:
        page = client.get(url).get_json()
        assert len(page["items"]) <= 2
        seen += [s["id"] for s in page["items"]]
        url = page["next"]
    assert seen == ids


def test_validation_errors_name_the_field(client):
    assert problem_of(client.get("/api/v1/sessions?limit=0"), 422)["errors"].keys() == {"limit"}
    assert problem_of(client.get("/api/v1/sessions?chain=rockets"), 422)["errors"].keys() == {"chain"}
    assert problem_of(client.get("/api/v1/sessions?from=31/12/2026"), 422)["errors"].keys() == {"from"}
    body = problem_of(client.get("/api/v1/projects?cursor=not-a-cursor"), 422)
    assert body["code"] == "validation_failed" and "cursor" in body["errors"]


def test_session_detail_shows_lineup_and_unknown_ids_are_problem_404(client, db, make_session, make_company, make_project):
    session = make_session()
    project = make_project(make_company(), status=ProjectStatus.SCHEDULED)
    db.session.add(Slot(session=session, project=project, position=1))
    db.session.commit()
    body = client.get(f"/api/v1/sessions/{session.id}").get_json()
    assert [slot["project"]["title"] for slot in body["lineup"]] == [project.title]
    assert problem_of(client.get("/api/v1/sessions/999999"), 404)["code"] == "not_found"


def test_only_public_projects_and_verified_institutions_are_listed(client, make_company, make_project, make_institution):
    company = make_company()
    public = make_project(company, status=ProjectStatus.APPROVED)
    draft = make_project(company, status=ProjectStatus.DRAFT)
    listed = [p["id"] for p in client.get("/api/v1/projects").get_json()["items"]]
    assert public.id in listed and draft.id not in listed
    assert client.get(f"/api/v1/projects/{draft.id}").status_code == 404
    verified, pending = make_institution(), make_institution(verified=False)
    names = [i["name"] for i in client.get("/api/v1/institutions").get_json()["items"]]
    assert verified.name in names and pending.name not in names
    assert client.get(f"/api/v1/institutions/{pending.id}").status_code == 404


def test_token_authenticates_and_is_stored_only_as_a_hash(client, db, make_user, token_for):
    user = make_user(Role.INVESTOR)
    headers = token_for(user)
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == user.email
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert headers["Authorization"].split()[1] not in (stored.token_hash, stored.prefix)


def test_bad_or_revoked_token_is_401_even_with_a_login_cookie(client, db, make_user, login, token_for):
    user = make_user(Role.INVESTOR)
    headers = token_for(user)
    login(user)
    assert client.get("/api/v1/me").status_code == 200  # the site's own cookie works for reads
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer rsk_wrong"})
    assert problem_of(response, 401) and response.headers["WWW-Authenticate"].startswith("Bearer")
    tokens.revoke_token(user, db.session.scalars(sa.select(ApiToken)).one())
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_writes_need_a_write_token_not_a_cookie(client, make_user, make_session, login, token_for):
    investor, session = make_user(Role.INVESTOR), make_session()
    login(investor)
    assert client.post("/api/v1/me/bookings", json={"session_id": session.id}).status_code == 401  # no CSRF via API
    read_only = token_for(investor, "read")
    assert problem_of(client.post("/api/v1/me/bookings", json={"session_id": session.id}, headers=read_only), 403)


def test_a_token_acts_as_its_own_user_even_beside_another_users_login_cookie(client, db, make_user, make_session,
                                                                             login, token_for):
    """A client that kept someone's login cookie (a shared HTTP session, a browser extension) and sends a token:
    the request is the token's user's, with the token's scopes, never the cookie's user's."""
    token_owner, cookie_owner, session = make_user(Role.INVESTOR), make_user(Role.INVESTOR), make_session()
    headers = token_for(token_owner, "write")
    login(cookie_owner)
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == token_owner.email
    created = client.post("/api/v1/me/bookings", json={"session_id": session.id}, headers=headers)
    assert created.status_code == 201, created.get_json()
    booking = db.session.get(Booking, created.get_json()["id"])
    assert booking.user_id == token_owner.id
    assert client.get("/api/v1/me").get_json()["email"] == cookie_owner.email  # the cookie alone: its user


def test_booking_through_the_api_uses_the_seat_rules(client, db, make_user, make_session, token_for):
    first, second = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    session = make_session(capacity=1)
    headers = token_for(first, "write")
    created = client.post("/api/v1/me/bookings", json={"session_id": session.id}, headers=headers)
    assert created.status_code == 201 and created.get_json()["status"] == "confirmed"
    assert problem_of(client.post("/api/v1/me/bookings", json={"session_id": session.id}, headers=headers), 409)
    full = client.post("/api/v1/me/bookings", json={"session_id": session.id, "join_waitlist": False},
                       headers=token_for(second, "write"))
    assert problem_of(full, 409)["code"] == "session_full"
    assert problem_of(client.post("/api/v1/me/bookings", json={}, headers=headers), 422)["errors"].keys() == {"session_id"}
    booking_id = created.get_json()["id"]
    # another investor cannot cancel it (not even learn that it exists)
    assert client.delete(f"/api/v1/me/bookings/{booking_id}", headers=token_for(second, "write")).status_code == 404
    assert client.delete(f"/api/v1/me/bookings/{booking_id}", headers=headers).get_json()["status"] == "cancelled"
    assert db.session.get(Booking, booking_id).status == BookingStatus.CANCELLED


def test_startup_token_cannot_book(client, make_user, make_session, token_for):
    response = client.post("/api/v1/me/bookings", json={"session_id": make_session().id},
                           headers=token_for(make_user(Role.STARTUP), "write"))
    assert problem_of(response, 403)["code"] == "forbidden"


def test_a_startup_token_registers_for_startup_seats(client, db, make_user, make_session, token_for):
    training = make_session(capacity=0, startup_capacity=1)
    first, second = make_user(Role.STARTUP), make_user(Role.STARTUP)
    created = client.post("/api/v1/me/bookings", json={"session_id": training.id, "attendee_type": "startup"},
                          headers=token_for(first, "write"))
    assert created.status_code == 201 and created.get_json()["attendee_type"] == "startup"
    waiting = client.post("/api/v1/me/bookings", json={"session_id": training.id, "attendee_type": "startup"},
                          headers=token_for(second, "write"))
    assert waiting.status_code == 202 and waiting.get_json()["attendee_type"] == "startup"
    assert waiting.get_json()["position"] == 1
    assert training.startup_seats_taken == 1
    seats = client.get(f"/api/v1/sessions/{training.id}").get_json()["seats"]
    assert seats == [{"attendee_type": "startup", "capacity": 1, "seats_left": 0}]
    # a type the session does not admit, and a type nobody has
    investor = token_for(make_user(Role.INVESTOR), "write")
    assert problem_of(client.post("/api/v1/me/bookings", json={"session_id": training.id}, headers=investor), 409)
    unknown = client.post("/api/v1/me/bookings", json={"session_id": training.id, "attendee_type": "vip"},
                          headers=investor)
    assert problem_of(unknown, 422)["errors"].keys() == {"attendee_type"}


def test_token_page_shows_the_token_once_and_revokes(client, db, make_user, login):
    user = make_user(Role.INVESTOR)
    login(user)
    page = client.post("/account/tokens/", data={"name": "投资系统", "scopes": ["read", "write"]}).get_data(as_text=True)
    token = db.session.scalars(sa.select(ApiToken)).one()
    plaintext = re.search(r'id="new-token">(rsk_[\w-]+)<', page).group(1)
    assert token.scope_set == {"read", "write"} and plaintext.startswith(token.prefix)
    listing = client.get("/account/tokens/").get_data(as_text=True)
    # the list tells tokens apart by their prefix; the whole token was shown once and never again
    assert "投资系统" in listing and token.prefix in listing and plaintext not in listing
    assert "new-token" not in listing
    assert client.post("/account/tokens/", data={"name": ""}).status_code == 422
    client.post(f"/account/tokens/{token.id}/revoke")
    assert db.session.get(ApiToken, token.id).revoked_at is not None


def test_openapi_document_is_generated_and_documents_auth(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/sessions", "/api/v1/projects", "/api/v1/me/bookings"} <= spec["paths"].keys()
    assert spec["paths"]["/api/v1/me/bookings"]["post"]["security"] == [{"bearerAuth": []}]
    assert "application/problem+json" in spec["components"]["responses"]["NOT_FOUND"]["content"]
    operations = [op for path in spec["paths"].values() for method, op in path.items() if method != "parameters"]
    assert operations and all("429" in op["responses"] for op in operations)
    assert client.get("/developers/api").status_code == 200


def test_out_of_range_ids_and_dates_are_client_errors(client):
    assert problem_of(client.get("/api/v1/sessions/9827753254738674581504"), 404)
    assert client.get("/projects/9827753254738674581504").status_code == 404  # pages too
    assert problem_of(client.get("/api/v1/sessions?from=0001-01-01"), 422)["errors"].keys() == {"from"}


def test_rate_limit_is_per_token_with_retry_after(app, client, make_user, token_for):
    app.config["API_RATE_LIMIT"] = "3/minute"
    busy, other = token_for(make_user(Role.INVESTOR)), token_for(make_user(Role.INVESTOR))
    assert [client.get("/api/v1/me", headers=busy).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/me", headers=busy)
    assert problem_of(limited, 429)["code"] == "too_many_requests"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get("/api/v1/me", headers=other).status_code == 200  # another token has its own budget


def test_full_session_puts_the_caller_on_the_waitlist(client, make_user, make_session, token_for):
    session = make_session(capacity=1)
    client.post("/api/v1/me/bookings", json={"session_id": session.id}, headers=token_for(make_user(Role.INVESTOR), "write"))
    waiting = token_for(make_user(Role.INVESTOR), "write")
    response = client.post("/api/v1/me/bookings", json={"session_id": session.id}, headers=waiting)
    assert response.status_code == 202 and response.get_json()["position"] == 1
    assert [w["session"]["id"] for w in client.get("/api/v1/me/waitlist", headers=waiting).get_json()] == [session.id]
    assert client.delete(f"/api/v1/me/waitlist/{session.id}", headers=waiting).status_code == 204
    assert client.get("/api/v1/me/waitlist", headers=waiting).get_json() == []


def test_a_startup_token_reads_only_its_own_applications_and_projects(client, db, make_user, make_company,
                                                                       make_project, make_series, token_for):
    from roadshow.roadshows.models import Application

    alice, bob = make_user(Role.STARTUP), make_user(Role.STARTUP)
    mine = make_project(make_company(alice), status=ProjectStatus.SUBMITTED)
    theirs = make_project(make_company(bob), status=ProjectStatus.SUBMITTED)
    series = make_series()
    db.session.add_all([Application(project=mine, series=series), Application(project=theirs, series=series)])
    db.session.commit()
    headers = token_for(alice)
    assert [a["project"]["id"] for a in client.get("/api/v1/me/applications", headers=headers).get_json()] == [mine.id]
    assert [p["id"] for p in client.get("/api/v1/me/projects", headers=headers).get_json()] == [mine.id]


def test_investor_requests_a_meeting_and_sees_it(client, make_user, make_company, make_project, make_institution,
                                                 token_for):
    investor = make_user(Role.INVESTOR)
    make_institution(member=investor)
    project = make_project(make_company(make_user(Role.STARTUP)), status=ProjectStatus.APPROVED)
    headers = token_for(investor, "write")
    created = client.post("/api/v1/me/meetings", json={"project_id": project.id, "message": "想进一步了解"}, headers=headers)
    assert created.status_code == 201 and created.get_json()["status"] == "requested"
    again = client.post("/api/v1/me/meetings", json={"project_id": project.id}, headers=headers)
    assert again.get_json()["id"] == created.get_json()["id"]  # one open request per project
    assert [m["project"]["id"] for m in client.get("/api/v1/me/meetings", headers=headers).get_json()] == [project.id]
    draft = make_project(make_company(), status=ProjectStatus.DRAFT)
    assert client.post("/api/v1/me/meetings", json={"project_id": draft.id}, headers=headers).status_code == 404


@pytest.mark.parametrize("wrong", [1, "true", "yes", None])
def test_a_body_value_of_the_wrong_json_type_is_refused_not_coerced(client, db, make_user, make_session, token_for,
                                                                     wrong):
    """1 or "true" for a boolean, "5" for an id: marshmallow would coerce them; the document says they are invalid."""
    session = make_session(capacity=5)
    headers = token_for(make_user(Role.INVESTOR), "write")
    refused = client.post("/api/v1/me/bookings", json={"session_id": session.id, "join_waitlist": wrong},
                          headers=headers)
    assert problem_of(refused, 422)["errors"].keys() == {"join_waitlist"}
    as_text = client.post("/api/v1/me/bookings", json={"session_id": str(session.id)}, headers=headers)
    assert problem_of(as_text, 422)["errors"].keys() == {"session_id"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_every_request_body_checks_json_types(app):
    """One base class owns the rule; a body (or a part nested in one) that skips it would coerce again."""
    from marshmallow import fields

    from roadshow.api.schemas import JsonBody

    def as_class(schema):  # bodies are given as instances (one per view, not one per request)
        return schema if isinstance(schema, type) else type(schema)

    def parts(schema):
        yield schema
        for field in schema().load_fields.values():
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.Nested):
                yield from parts(type(inner.schema))

    bodies = [as_class(argument["schema"]) for view in app.view_functions.values()
              for argument in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
              if argument["in"] == "json"]
    assert len(bodies) >= 10
    for body in bodies:
        for part in parts(body):
            assert issubclass(part, JsonBody), f"{part.__name__} (in {body.__name__}) coerces JSON types"


def test_a_connection_dropped_under_the_rate_limiters_token_lookup_costs_the_request_nothing(
        app, db, client, make_user, token_for, monkeypatch):
    """The database drops the connection while the rate limiter looks up the caller's token (PostgreSQL
    restarting under a gevent server): the limiter lets the request through, its lookup rolled back, and
    authentication finds the token on a fresh connection."""
    from roadshow.api import auth
    from roadshow.extensions import db as flask_db

    headers = token_for(make_user(Role.INVESTOR))
    real_token_for, broken = auth.token_for, []

    def token_for_after_the_connection_died(plaintext):
        if not broken:
            broken.append(True)
            flask_db.session.execute(sa.text("SELECT 1"))  # a transaction on a connection…
            flask_db.session.connection().invalidate()  # …that the server then drops
            flask_db.session.execute(sa.text("SELECT 1"))  # the lookup's statement fails
        return real_token_for(plaintext)

    monkeypatch.setattr(auth, "token_for", token_for_after_the_connection_died)
    assert client.get("/api/v1/me/bookings", headers=headers).status_code == 200
    assert broken


def test_a_connection_that_died_earlier_in_the_request_is_a_503_and_the_next_request_works(
        app, db, client, make_user, token_for, monkeypatch):
    """A failure that code carried on from leaves the session needing a rollback, and the next statement raises
    PendingRollbackError. That is the same outage: 503 problem+json with Retry-After, not a 500, and the
    session is clean for the next request."""
    from roadshow.api import mine
    from roadshow.extensions import db as flask_db

    headers = token_for(make_user(Role.INVESTOR))
    real_my_bookings, broken = mine.my_bookings, []

    def my_bookings_after_a_swallowed_failure(user):
        if not broken:
            broken.append(True)
            flask_db.session.connection().invalidate()  # the server drops the connection…
            try:
                flask_db.session.execute(sa.text("SELECT 1"))
            except sa.exc.SQLAlchemyError:
                pass  # …and something carries on without rolling back
        return real_my_bookings(user)

    monkeypatch.setattr(mine, "my_bookings", my_bookings_after_a_swallowed_failure)
    problem = problem_of(client.get("/api/v1/me/bookings", headers=headers), 503)
    assert problem["code"] == "database_unavailable"
    assert client.get("/api/v1/me/bookings", headers=headers).status_code == 200
