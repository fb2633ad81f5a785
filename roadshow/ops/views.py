"""Operations endpoints (/healthz, /readyz) and the app-wide hooks this package installs."""
from flask import Blueprint, current_app, jsonify, send_from_directory
from flask_limiter import RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import limiter
from .backup import backup_command
from .health import readiness
from .requestlog import init_request_log
from .throttle import too_many_requests

# cli_group=None puts the commands at the top level: `flask --app wsgi backup`.
bp = Blueprint("ops", __name__, cli_group=None)
bp.cli.add_command(backup_command)


@bp.record_once
def _install(state) -> None:
    app = state.app
    n = app.config["PROXY_COUNT"]
    if n:  # client address and scheme as the proxies in front saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    init_request_log(app)
    app.register_error_handler(RateLimitExceeded, too_many_requests)


@bp.get("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers ask for /favicon.ico on every site whatever the page links; answer it instead of a 404."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=7 * 24 * 3600)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Liveness: the process answers requests."""
    return jsonify(status="ok")


# Without the database nothing works; without Redis or SMTP the site serves on (README "Faults"): a load
# balancer that took every process out of rotation for them would turn a degraded site into a dead one.
REQUIRED = {"database"}


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Readiness: `failing` names every configured backing service that does not answer; 503 only when a
    required one is among them, else 200 with status "degraded"."""
    checks = readiness()
    failing = sorted(name for name, problem in checks.items() if problem)
    unavailable = bool(REQUIRED.intersection(failing))
    body = {
        "status": "unavailable" if unavailable else "degraded" if failing else "ok",
        "checks": {name: problem or "ok" for name, problem in checks.items()},
        "failing": failing,
    }
    return jsonify(body), 503 if unavailable else 200
