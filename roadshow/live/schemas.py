"""The fields each live-room event accepts. Unknown or mistyped fields are refused before any rule runs."""
from marshmallow import RAISE, Schema, fields, validate

from .questions import MODERATION


class EventSchema(Schema):
    class Meta:
        unknown = RAISE


class Ask(EventSchema):
    body = fields.String(required=True)  # its length is a rule (LiveError "too_long"), checked by the service
    anonymous = fields.Boolean(load_default=False)
    project_id = fields.Integer(strict=True, load_default=None, allow_none=True)


class QuestionRef(EventSchema):
    question_id = fields.Integer(strict=True, required=True)


class Interest(EventSchema):
    project_id = fields.Integer(strict=True, load_default=None, allow_none=True)


class Empty(EventSchema):
    pass


class SlotRef(EventSchema):
    slot_id = fields.Integer(strict=True, required=True)


class Extend(EventSchema):
    minutes = fields.Integer(strict=True, required=True)


class Settings(EventSchema):
    qa_locked = fields.Boolean(load_default=None, allow_none=True)
    premoderation = fields.Boolean(load_default=None, allow_none=True)


class Announce(EventSchema):
    body = fields.String(required=True)


class Moderate(EventSchema):
    question_id = fields.Integer(strict=True, required=True)
    action = fields.String(required=True, validate=validate.OneOf(sorted(MODERATION)))


class RemoveUser(EventSchema):
    user_id = fields.Integer(strict=True, required=True)
