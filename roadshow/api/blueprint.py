"""The API blueprint object, shared by the endpoint modules."""
from flask_smorest import Blueprint


class ApiBlueprint(Blueprint):
    """Every endpoint is rate limited, so every one documents the 429 it may answer."""

    def route(self, rule, *, parameters=None, tags=None, **options):
        register = super().route(rule, parameters=parameters, tags=tags, **options)
        return lambda view: register(self.alt_response(429, response="TOO_MANY_REQUESTS")(view))


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1", description="光谷科创路演中心 Open API v1")
