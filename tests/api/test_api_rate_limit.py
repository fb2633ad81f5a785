"""The API rate limit counts per caller as authentication resolves it, with one budget for the whole API:
the token's id, else the user signed in with the site's cookie, else the client address."""
import pytest

from roadshow.accounts.models import Role

from .test_api import problem_of, token_for  # noqa: F401  (token_for is a fixture)


@pytest.fixture
def budget_of_three(app):
    # per hour: the window opens at the first request, and a loaded CI machine once let a minute pass (or its
    # clock jump) before the fourth; what these tests check is whose budget a request counts against
    app.config["API_RATE_LIMIT"] = "3/hour"


def get(client, path, headers=None, ip="203.0.113.7"):
    return client.get(path, headers=headers or {}, environ_base={"REMOTE_ADDR": ip})


def test_spellings_of_one_token_share_its_budget(client, make_user, token_for, budget_of_three):
    plaintext = token_for(make_user(Role.INVESTOR))["Authorization"].removeprefix("Bearer ")
    spellings = [f"Bearer {plaintext}", f"Bearer   {plaintext}  ", f"bearer {plaintext}", f"BEARER\t{plaintext}"]
    statuses = [get(client, "/api/v1/me", {"Authorization": header}).status_code for header in spellings]
    assert statuses == [200, 200, 200, 429]


def test_one_budget_across_every_endpoint(client, make_user, token_for, budget_of_three):
    headers = token_for(make_user(Role.INVESTOR))
    statuses = [get(client, path, headers).status_code
                for path in ("/api/v1/me", "/api/v1/me/bookings", "/api/v1/sessions", "/api/v1/venues")]
    assert statuses == [200, 200, 200, 429]
    assert problem_of(get(client, "/api/v1/projects", headers), 429)["code"] == "too_many_requests"


def test_two_tokens_of_one_user_have_separate_budgets(client, make_user, token_for, budget_of_three):
    user = make_user(Role.INVESTOR)
    busy, other = token_for(user), token_for(user)
    assert [get(client, "/api/v1/me", busy).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert get(client, "/api/v1/me", other).status_code == 200


def test_a_signed_in_user_has_one_budget_from_every_address(client, make_user, login, budget_of_three):
    login(make_user(Role.INVESTOR))
    statuses = [get(client, "/api/v1/me", ip=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_anonymous_callers_are_counted_per_address(client, budget_of_three):
    assert [get(client, "/api/v1/venues").status_code for _ in range(3)] == [200, 200, 200]
    assert get(client, "/api/v1/sessions").status_code == 429
    assert get(client, "/api/v1/venues", ip="198.51.100.1").status_code == 200


def test_guessing_tokens_is_counted_per_address(client, budget_of_three):
    guesses = [get(client, "/api/v1/me", {"Authorization": f"Bearer rsk_guess{n}"}).status_code for n in range(4)]
    assert guesses == [401, 401, 401, 429]
