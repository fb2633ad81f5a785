"""Authenticated endpoints for roadshow feedback: the caller's answers, given or changed per project."""
from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..feedback import services
from ..feedback.models import NOTE_MAX, Concern, InterestLevel
from ..feedback.policies import can_give_feedback
from ..roadshows.models import RoadshowSession
from .auth import require
from .blueprint import bp
from .mine import authenticated
from .schemas import JsonBody, LocalDateTime, ProjectBriefSchema


class FeedbackSchema(Schema):
    session_id = fields.Integer()
    project = fields.Nested(ProjectBriefSchema)
    interest = fields.String(attribute="interest.value", metadata={"enum": [i.value for i in InterestLevel]})
    concerns = fields.List(fields.String(), metadata={"description": "concern tags: " + ", ".join(c.value for c in Concern)})
    note = fields.String()
    shared = fields.Boolean(metadata={"description": "the startup may see this answer with the investor's name"})
    updated_at = LocalDateTime()
    editable_until = LocalDateTime()


class FeedbackBody(JsonBody):
    interest = fields.String(required=True, validate=validate.OneOf([i.value for i in InterestLevel]))
    concerns = fields.List(fields.String(validate=validate.OneOf([c.value for c in Concern])),
                           load_default=list, validate=validate.Length(max=len(Concern)))
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_MAX))
    shared = fields.Boolean(load_default=False)


@bp.get("/me/feedback")
@require("read")
@authenticated
@bp.response(200, FeedbackSchema(many=True))
def list_feedback():
    """The caller's roadshow feedback answers (investors), latest change first."""
    return services.my_feedback(current_user)


@bp.put("/me/feedback/<int:session_id>/<int:project_id>")
@require("write")
@authenticated
@bp.arguments(FeedbackBody())
@bp.response(200, FeedbackSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def put_feedback(body, session_id, project_id):
    """Give or change the caller's answer about a project of an ended session they attended, until the
    deadline (409 `rule_violation` after it). Another session or project answers 404."""
    session = get_visible_or_404(RoadshowSession, session_id, can_give_feedback)
    project = services.pitched_project(session, project_id)
    if project is None:
        abort(404)
    answer = services.save_feedback(current_user, session, project, **body)
    db.session.commit()
    return answer
