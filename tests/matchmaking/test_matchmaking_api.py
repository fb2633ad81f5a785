"""API v1: the caller's marks and unavailable slots, and the published agenda."""
import pytest

from roadshow.api import tokens
from roadshow.matchmaking import services

from .conftest import party_id


@pytest.fixture
def token_for(db):
    def make(user, *scopes):
        _token, plaintext = tokens.create_token(user, "对接会", list(scopes or ("read",)))
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}

    return make


def test_preferences_are_read_and_written_and_bad_ones_change_nothing(db, client, world, token_for):
    day, investor = world.day, world.investors[0]
    headers = token_for(investor, "read", "write")
    url = f"/api/v1/matchmaking/{day.id}/preferences"
    got = client.get(url, headers=headers).get_json()
    assert [c["party_id"] for c in got["counterparts"]] == [p.id for p in day.startups]
    assert len(got["slots"]) == 4 and got["slots"][0]["starts_at"].endswith("+08:00") and got["open"]
    startup = party_id(day, world.founders[1])
    saved = client.put(url, headers=headers, json={"marks": [{"party_id": startup, "mark": "must"}],
                                                   "unavailable_slots": [0, 3]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert {c["party_id"]: c["mark"] for c in saved.get_json()["counterparts"]}[startup] == "must"
    assert saved.get_json()["unavailable_slots"] == [0, 3]

    other_investor = party_id(day, world.investors[1])
    for body, status in (
        ({"marks": [{"party_id": other_investor, "mark": "like"}], "unavailable_slots": []}, 422),
        ({"marks": [{"party_id": startup, "mark": "maybe"}], "unavailable_slots": []}, 422),
        ({"marks": [], "unavailable_slots": [99]}, 422),
    ):
        response = client.put(url, headers=headers, json=body)
        assert response.status_code == status and response.mimetype == "application/problem+json"
    party = services.party_of(investor, day)
    db.session.expire_all()
    assert services.marks_of(party) == {startup: services.Mark.MUST} and party.unavailable == {0, 3}
    assert client.put(url, headers=token_for(investor, "read"), json={"unavailable_slots": []}).status_code == 403


def test_the_agenda_is_empty_until_published_and_hidden_from_outsiders(db, client, world, token_for, make_user):
    from roadshow.accounts.models import Role

    day, investor = world.day, world.investors[0]
    services.save_marks(investor, day, {party_id(day, world.founders[0]): "must"}, set())
    services.solve_day(world.admin, day, time_limit=2)
    db.session.commit()
    url = f"/api/v1/matchmaking/{day.id}/agenda"
    before = client.get(url, headers=token_for(investor)).get_json()
    assert before["published"] is False and before["meetings"] == []
    services.publish(world.admin, day)
    db.session.commit()
    after = client.get(url, headers=token_for(investor)).get_json()
    assert [m["with"] for m in after["meetings"]] == [world.projects[0].title]
    assert after["meetings"][0]["place"]
    startup_view = client.get(url, headers=token_for(world.founders[0])).get_json()
    assert len(startup_view["meetings"]) == 1
    outsider = make_user(Role.STARTUP)
    assert client.get(url, headers=token_for(outsider)).status_code == 404
    assert client.get("/api/v1/matchmaking/987654/agenda", headers=token_for(investor)).status_code == 404


def test_the_openapi_document_describes_the_matchmaking_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/matchmaking/{day_id}/preferences"])
    assert "get" in paths["/api/v1/matchmaking/{day_id}/agenda"]
