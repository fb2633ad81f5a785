"""Every parsed date, number, cursor and JSON body is bounded at its parser: values at the extremes get
a 4xx (a page with a message, or problem+json on the API), never a 500."""
import base64
import json
import re
from pathlib import Path

from roadshow.api.tokens import create_token
from roadshow.common.bounds import MAX_JSON_DEPTH

from ..support.routes import sample_url

SOURCE = Path(__file__).resolve().parents[2] / "roadshow"

# Query parameters the app reads, by what their parser turns them into.
DATE_KEYS = ("date", "from", "to", "day", "start", "end", "since", "until")
NUMBER_KEYS = ("page", "per_page", "limit", "offset", "year", "month", "week", "venue", "actor", "project_id",
               "session_id", "institution_id", "min_score", "score", "id", "amount", "institution", "months", "after")
TEXT_KEYS = ("chain", "series", "view", "next", "q", "tab", "status", "role", "action", "target", "job", "stage",
             "industry_chain", "flag", "cursor", "sort", "source",
             "cultivation_list", "batch", "board", "readiness")  # the listing track's filters

FAR_DATES = ("9999-12-31", "0001-01-01", "9999-12-31T23:59:59")
HUGE_NUMBERS = (str(10**30), str(-(2**63)), str(2**31), "²", "nan", "1e999")  # "²".isdigit() is True
HOSTILE_TEXT = ("\x00%ff" + "x" * 5000,)


def cursor_of(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


HOSTILE_CURSORS = tuple(cursor_of(v) for v in (
    [10**30], [-10**30], [2**31], [2**63], [float("inf")], [float("nan")], [1, 2],
    ["9999-12-31T23:59:59.999999", 1], ["0001-01-01T00:00:00", 1], ["2026-01-01T00:00:00+08:00", 1],
    ["2026-01-01T00:00:00", 10**30], [[[[[[[[1]]]]]]]],
))


def get_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"]


def query_keys_read_by_the_code() -> set[str]:
    """Every `request.args.get("x")` / `request.args["x"]` in the app, and the fields of forms filled from
    the query string (`SomeForm(request.args)`)."""
    sources = {path: path.read_text() for path in SOURCE.rglob("*.py")}
    keys, query_forms = set(), set()
    for text in sources.values():
        keys |= set(re.findall(r"""request\.args(?:\.get\(|\[)\s*["'](\w+)["']""", text))
        query_forms |= set(re.findall(r"(\w+Form)\(request\.args", text))
    for text in sources.values():
        for name in query_forms:
            body = re.search(rf"^class {name}\(.*?(?=^\S|\Z)", text, re.M | re.S)
            if body:
                keys |= set(re.findall(r"^    (\w+) = \w+Field\(", body.group(), re.M))
    return keys


def api_query_parameters(client) -> dict[str, set[str]]:
    """{path: names of its query parameters} from the OpenAPI document, for GET operations."""
    spec = client.get("/api/v1/openapi.json").get_json()
    return {path: {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"}
            for path, item in spec["paths"].items() if "get" in item}


def test_every_query_parameter_the_app_reads_is_covered_here(app, client):
    """A new query parameter must be sorted into one of the classes above, so the tests below send it."""
    documented = set().union(*api_query_parameters(client).values())
    assert (query_keys_read_by_the_code() | documented) - {*DATE_KEYS, *NUMBER_KEYS, *TEXT_KEYS} == set()


def test_no_page_or_api_read_ends_in_a_server_error_for_extreme_query_values(app, client, superuser):
    failures = []
    for rule in get_rules(app):
        url = sample_url(app, rule)
        queries = ([{key: value for key in DATE_KEYS} for value in FAR_DATES]
                   + [{key: value for key in NUMBER_KEYS} for value in HUGE_NUMBERS]
                   + [{key: value for key in TEXT_KEYS} for value in HOSTILE_TEXT])
        for query in queries:
            response = client.get(url, query_string=query)
            if response.status_code >= 500:
                failures.append((url, next(iter(query.values()))[:40], response.status_code))
    assert failures == []


def test_calendar_beyond_its_years_says_so(client):
    for far in ("9999-12-31", "0001-01-01"):
        for view in ("month", "week", "day"):
            response = client.get("/calendar", query_string={"date": far, "view": view})
            assert response.status_code == 400
            assert "2000-01-01 – 2100-12-31" in response.get_data(as_text=True)
    edge = client.get("/calendar", query_string={"date": "2100-12-31", "view": "month"})
    assert edge.status_code == 200
    assert 'aria-label="上一页"' in edge.get_data(as_text=True)
    assert 'aria-label="下一页"' not in edge.get_data(as_text=True)  # no month after the last one shown


def test_cursors_holding_values_no_row_can_have_are_refused_as_problems(app, client, superuser):
    paged = [path for path, names in api_query_parameters(client).items() if "cursor" in names]
    assert set(paged) >= {"/api/v1/projects", "/api/v1/institutions", "/api/v1/sessions"}
    for path in paged:
        for cursor in HOSTILE_CURSORS:
            response = client.get(path, query_string={"cursor": cursor})
            assert response.status_code == 422, (path, base64.urlsafe_b64decode(cursor + "=="), response.status_code)
            assert response.mimetype == "application/problem+json"
            assert "cursor" in response.get_json()["errors"]


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_deeply_nested_json_bodies_are_refused_before_parsing(app, db, client, superuser):
    token = create_token(superuser, "bounds", ["read", "write"])[1]
    db.session.commit()
    api_writes = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
                  and rule.methods & {"POST", "PUT", "PATCH"}]
    assert api_writes
    for rule in api_writes:
        method = sorted(rule.methods & {"POST", "PUT", "PATCH"})[0]
        url = sample_url(app, rule)
        response = client.open(url, method=method, data=deep(1000), content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 400, (url, response.status_code)
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["code"] == "json_too_deep"
    # HTML forms read JSON bodies too (Flask-WTF takes request.get_json() as form data)
    page = client.post("/login", data=deep(1000), content_type="application/json")
    assert page.status_code == 400 and "JSON" in page.get_data(as_text=True)
    # within the limit the body reaches the schema, which names the field it does not know
    shallow = json.dumps({"session_id": 1, "x": json.loads(deep(MAX_JSON_DEPTH - 1))})
    response = client.post("/api/v1/me/bookings", data=shallow, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and "x" in response.get_json()["errors"]
