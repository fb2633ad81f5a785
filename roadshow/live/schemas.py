"""The fields each live-room event accepts. Unknown or mistyped fields are refused before any rule runs."""
from marshmallow import RAISE, Schema, fields, validate

from .models import CLIENT_KEY_MAX, POLL_OPTIONS_MAX, PollKind
from .questions import MODERATION


class EventSchema(Schema):
    class Meta:
        unknown = RAISE


class Ask(EventSchema):
    body = fields.String(required=True)  # its length is a rule (LiveError "too_long"), checked by the service
    anonymous = fields.Boolean(load_default=False)
    project_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    # The page's own id for this question: sent again with the same key after a lost answer, it is stored once.
    client_key = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, CLIENT_KEY_MAX))


class OpenRoom(EventSchema):
    early = fields.Boolean(load_default=False)  # the host confirmed opening more than 30 minutes early


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


class PollLaunch(EventSchema):
    question = fields.String(required=True)  # lengths are rules, checked by the service
    # one more than allowed still loads, so the service can say how many are allowed
    options = fields.List(fields.String(), required=True, validate=validate.Length(max=POLL_OPTIONS_MAX + 1))
    kind = fields.String(load_default=PollKind.SINGLE.value, validate=validate.OneOf([k.value for k in PollKind]))
    anonymous = fields.Boolean(load_default=False)


class PollVote(EventSchema):
    poll_id = fields.Integer(strict=True, required=True)
    option_ids = fields.List(fields.Integer(strict=True), required=True, validate=validate.Length(max=POLL_OPTIONS_MAX))


class PollRef(EventSchema):
    poll_id = fields.Integer(strict=True, required=True)
