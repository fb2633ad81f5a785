"""Property-based fuzzing of every HTML form: whatever a browser (or an attacker) posts, the answer
is a page or a redirect, never a server error, and the database is left consistent."""
import re
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from roadshow.roadshows.models import AttendeeType, Booking, BookingStatus, RoadshowSession

from ..support.forms import Field, Form, post_forms
from ..support.routes import sample_url

NOT_FUZZED = {
    "/logout",  # ends the fuzzing session itself
    # the media server's notifications: no browser form, refused (403) without the session's stream key,
    # which tests/live/test_live_video.py checks
    "/live/media/on_publish", "/live/media/on_publish_done", "/live/media/on_record_done",
}

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9" * 40, "2026-02-30", "2026-13-01T25:61", "²",
                     "9999-12-31", "0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00", str(-(2**63)),
                     "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "🚀" * 50, "../../etc/passwd"]),
)


def consistency_problems(db) -> list[str]:
    """What a half-written request would leave behind: a session's seat counter of an attendee type that
    disagrees with its confirmed bookings of that type, or (SQLite, where the checks are per connection) a row whose parent is gone."""
    db.session.expire_all()
    confirmed = {(session_id, kind): n for session_id, kind, n in db.session.execute(
        sa.select(Booking.session_id, Booking.attendee_type, sa.func.count())
        .where(Booking.status == BookingStatus.CONFIRMED).group_by(Booking.session_id, Booking.attendee_type))}
    problems = [f"session {session.id}: {kind.value} seats taken {session.seats_taken_for(kind)}, "
                f"confirmed bookings {confirmed.get((session.id, kind), 0)}"
                for session in db.session.scalars(sa.select(RoadshowSession)) for kind in AttendeeType
                if session.seats_taken_for(kind) != confirmed.get((session.id, kind), 0)]
    if db.engine.dialect.name == "sqlite":
        problems += [f"dangling row: {tuple(row)}" for row in db.session.execute(sa.text("PRAGMA foreign_key_check"))]
    return problems


def fuzz_targets(app, client) -> dict[str, Form]:
    """Every form the user's pages render, aimed at the objects those pages show (the user's own, or ones
    they may act on), plus the POST routes without ids that no page renders a form for."""
    if "fuzz_targets" not in app.extensions:
        targets = rendered_forms(app, client)
        actions = {action.partition("?")[0] for action in targets}
        for rule in app.url_map.iter_rules():
            if ("POST" in rule.methods and not rule.arguments and not rule.rule.startswith("/api/")
                    and rule.rule not in actions and rule.rule not in NOT_FUZZED):
                targets[rule.rule] = Form(rule.rule, [Field(name, "text") for name in ("reason", "note", "name")])
        # deletions last, so that the first pass reaches every other form while its object still exists; so is
        # re-solving a matchmaking day, which replaces its unpinned meetings with new ones (new ids: on
        # PostgreSQL the forms of the old ones then answer 404, where SQLite happened to reuse the ids)
        app.extensions["fuzz_targets"] = dict(sorted(targets.items(), key=lambda item: any(
            marker in item[0] for marker in ("/delete", "/solve"))))
    return app.extensions["fuzz_targets"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_no_form_post_causes_a_server_error(app, db, client, superuser, data):
    targets = fuzz_targets(app, client)
    assert len(targets) > 40  # the walk found the app's forms
    reached, walled = 0, []
    for action, form in targets.items():
        payload = MultiDict(form.checked)
        for field in form.fields:
            payload.add(field.name, data.draw(hostile_text, label=f"{action} {field.name}"))
        response = client.post(action, data=payload)
        assert response.status_code < 500, (action, payload, response.get_data(as_text=True)[:300])
        if response.status_code in (403, 404, 405):
            walled.append((action, response.status_code))
        else:
            reached += 1
    # the first pass, on the untouched data, got to every form's own handler (not a wall of 404s for ids
    # nobody has); later passes may find what an earlier one deleted gone
    if not app.extensions.setdefault("fuzz_passes", []):
        assert reached == len(targets), f"only {reached} of {len(targets)} forms reached; refused: {walled}"
    app.extensions["fuzz_passes"].append(reached)
    # ... and whatever they were refused or allowed left the data whole
    assert consistency_problems(db) == []


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


LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)', re.I)
PAGES_PER_ENDPOINT = 3  # e.g. three session pages, three project pages: enough to meet each kind of form


def rendered_forms(app, client) -> dict[str, Form]:
    """Every POST form on the pages the user can reach: each route's page with sample ids, then the pages
    those link to (the user's own bookings, upcoming sessions, their projects ...), once per target URL."""
    adapter = app.url_map.bind("localhost")
    queue = [sample_url(app, rule) for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and rule.endpoint != "static" and not rule.rule.startswith("/api/")]
    seen, per_endpoint, forms = set(), Counter(), {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page = client.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        text = page.get_data(as_text=True)
        for form in post_forms(text, url):
            forms.setdefault(form.action, form)
        for link in LINK.findall(text):
            path = link.replace("&amp;", "&")
            try:
                endpoint, _ = adapter.match(path.partition("?")[0], method="GET")
            except Exception:  # noqa: BLE001 (not a page of this app: static files, redirects, 404s)
                continue
            if path not in seen and endpoint != "static" and per_endpoint[endpoint] < PAGES_PER_ENDPOINT:
                per_endpoint[endpoint] += 1
                queue.append(path)
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
