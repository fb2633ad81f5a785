"""API v1: meeting requests both ways (ask, accept, decline) and conversations (open, list, post, read),
with the same rules and clear problems as the pages; documented in the OpenAPI document."""
from datetime import timedelta

import pytest

from roadshow.accounts.models import Role
from roadshow.api import tokens
from roadshow.common.timeutil import utcnow
from roadshow.meetings.services import add_slot
from roadshow.projects.models import ProjectStatus


@pytest.fixture
def bearer(db):
    def make(user):
        _token, plaintext = tokens.create_token(user, "对接测试", ["read", "write"])
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}
    return make


@pytest.fixture
def two_sides(db, make_user, make_company, make_project, make_institution):
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.APPROVED)
    investor = make_user(Role.INVESTOR)
    institution = make_institution(investor)
    return founder, project, investor, institution


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_a_startup_asks_over_the_api_and_the_investor_accepts_with_a_slot(client, db, two_sides, bearer):
    founder, project, investor, institution = two_sides
    startup, fund = bearer(founder), bearer(investor)
    body = {"project_id": project.id, "institution_id": institution.id, "message": "想介绍我们的 A 轮"}
    asked = client.post("/api/v1/me/meetings", json=body, headers=startup)
    assert asked.status_code == 201, asked.get_data(as_text=True)
    meeting = asked.get_json()
    assert meeting["initiator"] == "startup" and meeting["awaiting"] == "investor"
    assert problem(client.post("/api/v1/me/meetings", json=body, headers=startup), 409)["code"] == "rule_violation"
    assert problem(client.post(f"/api/v1/me/meetings/{meeting['id']}/accept", json={}, headers=startup), 409)
    slot = add_slot(founder, utcnow().replace(microsecond=0) + timedelta(days=2), 30)
    db.session.commit()
    accepted = client.post(f"/api/v1/me/meetings/{meeting['id']}/accept", json={"slot_id": slot.id}, headers=fund)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    assert [m["id"] for m in client.get("/api/v1/me/meetings", headers=fund).get_json()] == [meeting["id"]]


def test_an_empty_ask_is_a_422_that_names_the_field(client, two_sides, bearer):
    founder, project, _, institution = two_sides
    response = client.post("/api/v1/me/meetings", json={"project_id": project.id, "institution_id": institution.id},
                           headers=bearer(founder))
    assert "message" in problem(response, 422)["errors"]


def test_threads_over_the_api_list_post_and_read(client, db, two_sides, bearer, make_user, make_institution):
    founder, project, investor, _ = two_sides
    fund, startup = bearer(investor), bearer(founder)
    meeting = client.post("/api/v1/me/meetings", json={"project_id": project.id}, headers=fund).get_json()
    thread = client.post("/api/v1/me/threads", json={"meeting_id": meeting["id"]}, headers=fund).get_json()
    url = f"/api/v1/me/threads/{thread['id']}/messages"
    posted = client.post(url, json={"body": "您好"}, headers=fund)
    assert posted.status_code == 201 and posted.get_json()["body"] == "您好"
    assert "body" in problem(client.post(url, json={"body": ""}, headers=startup), 422)["errors"]
    too_long = problem(client.post(url, json={"body": "长" * 10_000}, headers=startup), 422)
    assert "10000" in too_long["errors"]["body"][0]
    [listed] = client.get("/api/v1/me/threads", headers=startup).get_json()
    assert listed["id"] == thread["id"] and listed["unread"] == 1
    assert [m["body"] for m in client.get(url, headers=startup).get_json()] == ["您好"]
    assert client.post(f"/api/v1/me/threads/{thread['id']}/read", headers=startup).status_code == 204
    assert client.get("/api/v1/me/threads", headers=startup).get_json()[0]["unread"] == 0
    outsider = make_user(Role.INVESTOR)
    make_institution(outsider)
    stranger = bearer(outsider)
    assert problem(client.get(url, headers=stranger), 404)
    assert problem(client.post(url, json={"body": "插话"}, headers=stranger), 404)
    assert client.get("/api/v1/me/threads", headers=stranger).get_json() == []


def test_the_openapi_document_describes_requests_both_ways_and_threads(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/me/meetings/{meeting_id}/accept", "/api/v1/me/meetings/{meeting_id}/decline",
            "/api/v1/me/threads", "/api/v1/me/threads/{thread_id}/messages",
            "/api/v1/me/threads/{thread_id}/read"} <= paths.keys()
    assert "institution_id" in str(paths["/api/v1/me/meetings"]["post"])
