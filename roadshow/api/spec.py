"""The flask-smorest Api: builds the OpenAPI 3.1 document from the views' schemas.

Errors are answered by the app-wide handler (roadshow.common.error_pages) as RFC 9457
problem details, so the Api's own error handler is switched off and the documented
error responses say application/problem+json.
"""
import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from .schemas import ProblemSchema
from .webhook_spec import WEBHOOKS

PROBLEM_JSON = "application/problem+json"


class RoadshowApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Keep the app's problem-details handler (it also serves the HTML pages)."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


API_CONFIG = {
    "API_TITLE": "光谷科创路演中心 Open API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": (
                "Public calendar, projects and institutions of the Optics Valley Sci-Tech Roadshow Center, "
                "and, with a personal token, your own bookings, applications, meetings and matches. "
                "Errors are RFC 9457 problem details with a machine-readable `code`."
            ),
        },
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "servers": [{"url": "/"}],
        # Deliveries to partners' subscriptions (POST /api/v1/webhooks), with how to verify their signature.
        "webhooks": WEBHOOKS,
    },
}
