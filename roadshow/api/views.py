"""JSON API v1 (/api/v1): public reads, token-authenticated writes, an OpenAPI 3.1 document.

Endpoints live in public.py, mine.py and webhooks.py and call the same services as the pages.
"""
from flask import Blueprint, Flask, current_app, render_template

from ..common.routing import BoundedIntConverter, int_param_schema
from ..extensions import csrf
from . import feedback, loans, matchmaking, mine, public, webhooks  # noqa: F401  (attach the endpoints to the blueprint)
from .auth import authenticate_bearer
from .blueprint import bp
from .errors import register_rule_errors
from .ratelimit import limit_api
from .spec import API_CONFIG, RoadshowApi
from .token_pages import bp as token_pages_bp

bp.before_request(authenticate_bearer)
limit_api(bp)
register_rule_errors(bp)


docs_bp = Blueprint("api_docs", __name__, url_prefix="/developers")


@docs_bp.get("/api")
def docs():
    """A readable page generated from the same OpenAPI document."""
    return render_template("api/docs.html", spec=current_app.extensions["roadshow_api"].spec.to_dict())


def register_domain(app: Flask) -> None:
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    app.json.ensure_ascii = False  # partners read Chinese names, not \u escapes
    api = RoadshowApi(app)
    api.register_converter(BoundedIntConverter, int_param_schema)
    api.register_blueprint(bp)
    app.extensions["roadshow_api"] = api
    app.register_blueprint(docs_bp)
    app.register_blueprint(token_pages_bp)
    csrf.exempt(bp)  # writes need a Bearer token instead (see auth.py)
