"""The floor under every logged-in page (bench/scenario_pages_logged_in.py): the whole application
(wsgi:app with its middleware, session cookie, the signed-in user's row, security headers, request log)
answering a view that does nothing but name the user. No logged-in page can be served faster than this,
so its share of the bare view's throughput says how much of a target is left for the page itself.
Served by gunicorn like the app; never part of the application."""
from flask_login import current_user, login_required

from wsgi import app


@login_required
def floor():
    return current_user.name


app.add_url_rule("/bench/floor", "bench_floor", floor)
