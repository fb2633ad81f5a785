"""Property-based fuzzing of every HTML form: whatever a browser (or an attacker) posts, the answer
is a page or a redirect, never a server error, and the database is left consistent."""
import re
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from ..support.forms import Field, Form, post_forms
from ..support.routes import sample_url

NOT_FUZZED = {"/logout"}  # ends the fuzzing session itself
INPUT_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9" * 40, "2026-02-30", "2026-13-01T25:61", "²",
                     "9999-12-31", "0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00", str(-(2**63)),
                     "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "🚀" * 50, "../../etc/passwd"]),
)


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


# Each form as its page renders it, with one class of value at the extremes in every field of a kind. The
# n-th field of a kind gets a later value than the one before, so "from ≤ to" rules pass and the extreme
# value reaches the arithmetic behind the form (a month after 9999-12 does not exist).
EXTREMES = {
    "far future": {"date": lambda n: f"9999-12-{25 + n}", "datetime-local": lambda n: f"9999-12-31T{18 + n}:00"},
    "far past": {"date": lambda n: f"0001-01-{1 + n:02d}", "datetime-local": lambda n: f"0001-01-01T{n:02d}:00"},
    **{f"number {value}": {kind: lambda n, value=value: value for kind in ("number", "hidden", "select")}
       for value in (str(10**30), str(-(2**63)), "²", "nan", "1e999")},
}


def plausible(field: Field, n: int) -> str:
    """What a person would type into an empty field, so that the other fields pass and the extreme one is used."""
    soon = date.today() + timedelta(days=7 + n)
    return {
        "email": "fuzz@example.com", "url": "https://example.com", "number": "1", "date": soon.isoformat(),
        "datetime-local": f"{date.today() + timedelta(days=7)}T{10 + n:02d}:00", "time": f"{10 + n:02d}:00",
        "select": next((option for option in field.options if option), ""), "hidden": "",
    }.get(field.kind, "Fuzz 测试")


def submission(form: Form, extremes: dict) -> MultiDict:
    seen = Counter()
    data = MultiDict(form.checked)
    for field in form.fields:
        n, seen[field.kind] = seen[field.kind], seen[field.kind] + 1
        extreme = extremes.get(field.kind)
        data.add(field.name, extreme(n) if extreme else field.value or plausible(field, n))
    return data


def rendered_forms(app, client) -> dict[str, Form]:
    """Every POST form on every page the user can open, once per target URL."""
    forms = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        url = sample_url(app, rule)
        page = client.get(url)
        if page.status_code == 200 and page.mimetype == "text/html":
            for form in post_forms(page.get_data(as_text=True), url):
                forms.setdefault(form.action, form)
    return {action: form for action, form in forms.items() if action.partition("?")[0] not in NOT_FUZZED}


def test_forms_filled_in_with_extreme_dates_and_numbers_never_cause_a_server_error(app, client, superuser):
    forms = rendered_forms(app, client)
    assert len(forms) > 30  # the walk found the app's forms
    failures = []
    for action, form in forms.items():
        for name, extremes in EXTREMES.items():
            response = client.post(action, data=submission(form, extremes))
            if response.status_code >= 500:
                failures.append((action, name))
    assert failures == []
