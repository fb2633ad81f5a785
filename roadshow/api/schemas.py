"""Marshmallow schemas: what the API accepts and returns (and what the OpenAPI document says)."""
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from ..common.bounds import DB_INT_MAX, EARLIEST_DATE, LATEST_DATE
from ..common.choices import IndustryChain, Stage
from ..common.timeutil import to_local
from ..projects.facts import company_facts
from ..roadshows.models import AttendeeType

MAX_LIMIT = 100


class LocalDateTime(fields.DateTime):
    """Stored naive UTC, returned as an Asia/Shanghai ISO 8601 time with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else to_local(value).isoformat()


def _json_type_error(field: fields.Field, value) -> str | None:
    """What is wrong with a JSON value for a field, by JSON's own types. Marshmallow coerces on load (1 and
    "true" become True, "5" and 5.5 become 5), which would accept bodies the OpenAPI document calls invalid."""
    if value is None:
        return None  # allow_none decides
    if isinstance(field, fields.Boolean):
        return None if isinstance(value, bool) else "Not a valid boolean."
    if isinstance(field, fields.Integer):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return None if whole and not isinstance(value, bool) else "Not a valid integer."
    if isinstance(field, fields.List) and isinstance(value, list):
        for item in value:
            if error := _json_type_error(field.inner, item):
                return error
    return None


class JsonBody(Schema):
    """Base of every request body: values must have the JSON type the document gives them."""

    @pre_load
    def _check_json_types(self, data, **kwargs):
        if isinstance(data, dict):
            errors = {}
            for name, field in self.load_fields.items():
                key = field.data_key or name
                if key in data and (error := _json_type_error(field, data[key])):
                    errors[key] = [error]
            if errors:
                raise ValidationError(errors)
        return data


class ProblemSchema(Schema):
    type = fields.String()
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "machine-readable error code"})
    title = fields.String(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "validation messages per field"})


class PageQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A page of items with the link to the next page (null on the last page)."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema), required=True), "next": fields.String(allow_none=True)},
        name=name,
    )


def enum_field(enum_cls, **kwargs) -> fields.Enum:
    return fields.Enum(enum_cls, by_value=True, **kwargs)


class VenueSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()
    capacity = fields.Integer()
    is_online = fields.Boolean()


class SeriesSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    slug = fields.String()
    kind = fields.String(attribute="kind.value")
    industry_chain = fields.String(attribute="industry_chain.value", allow_none=True)
    description = fields.String()


class SessionSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    status = fields.String(attribute="status.value")
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    venue = fields.String(attribute="venue.name")
    series = fields.String(attribute="series.slug", allow_none=True)
    industry_chain = fields.String(attribute="industry_chain.value", allow_none=True)
    capacity = fields.Integer(metadata={"description": "investors' seats"})
    seats_left = fields.Integer(metadata={"description": "seats left over all attendee types"})
    seats = fields.Function(
        lambda session: [{"attendee_type": t.value, "capacity": session.capacity_for(t),
                          "seats_left": session.seats_left_for(t)} for t in session.attendee_types],
        metadata={"description": "the attendee types the session admits, each with its own seats",
                  "type": "array", "items": {"type": "object", "properties": {
                      "attendee_type": {"type": "string", "enum": [t.value for t in AttendeeType]},
                      "capacity": {"type": "integer"}, "seats_left": {"type": "integer"}}}})


class FactSchema(Schema):
    value = fields.Raw(metadata={"description": "the value that counts: the official list's when verified, "
                                               "else the company's own", "type": ["integer", "string", "boolean"]})
    verified = fields.Boolean(metadata={"description": "true when an official list imported by the center says so"})
    source = fields.String(allow_none=True, metadata={"description": "the official list's name"})
    verified_at = fields.String(allow_none=True, metadata={"description": "when the list was imported (UTC, ISO 8601)"})
    details = fields.Dict(metadata={"description": "the list's other columns (grade and year, batch, certificate ...)"})


class CompanyFactsSchema(Schema):
    innovation_score = fields.Nested(FactSchema)
    srdi_level = fields.Nested(FactSchema)
    high_tech = fields.Nested(FactSchema)
    patents_count = fields.Nested(FactSchema)


class CompanyFactsField(fields.Nested):
    """The company's facts with their verification state (roadshow/projects/facts.py)."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return {fact.name: fact.as_dict() for fact in company_facts(obj)}


class CompanySummarySchema(Schema):
    name = fields.String()
    industry_chain = fields.String(attribute="industry_chain.value")
    stage = fields.String(attribute="stage.value")
    city = fields.String()
    innovation_score = fields.Integer()
    patents_count = fields.Integer()
    is_high_tech = fields.Boolean()
    srdi_level = fields.String(attribute="srdi_level.value")
    facts = CompanyFactsField(CompanyFactsSchema, metadata={
        "description": "innovation points, SRDI level, high-tech status and patents: the value that counts and "
                       "whether an official list verified it (the flat fields above are the company's own)"})


class ProjectBriefSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    pitch = fields.String()
    industry_chain = fields.String(attribute="industry_chain.value")
    financing_round = fields.String(attribute="financing_round.value")


class ProjectSchema(ProjectBriefSchema):
    amount_sought = fields.Integer(metadata={"description": "yuan"})
    status = fields.String(attribute="status.value")
    company = fields.Nested(CompanySummarySchema)


class SlotSchema(Schema):
    position = fields.Integer()
    pitch_minutes = fields.Integer()
    qa_minutes = fields.Integer()
    project = fields.Nested(ProjectBriefSchema)


class SessionDetailSchema(SessionSchema):
    description = fields.String()
    host = fields.String(attribute="host.name", allow_none=True)
    lineup = fields.List(fields.Nested(SlotSchema), attribute="slots")


class FundSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    focus_chains = fields.List(fields.String())
    stages = fields.List(fields.String())
    regions = fields.List(fields.String())
    ticket_min = fields.Integer(allow_none=True, metadata={"description": "yuan"})
    ticket_max = fields.Integer(allow_none=True, metadata={"description": "yuan"})


class InstitutionSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    type = fields.String(attribute="type.value")
    funds = fields.List(fields.Nested(FundSchema))


CALENDAR_RANGE = validate.Range(EARLIEST_DATE, LATEST_DATE)
ID = validate.Range(1, DB_INT_MAX)


class SessionQuery(PageQuery):
    date_from = fields.Date(data_key="from", load_default=None, validate=CALENDAR_RANGE,
                            metadata={"description": "local date (Asia/Shanghai), inclusive"})
    date_to = fields.Date(data_key="to", load_default=None, validate=CALENDAR_RANGE,
                          metadata={"description": "local date (Asia/Shanghai), inclusive"})
    chain = enum_field(IndustryChain, load_default=None)
    series = fields.String(load_default=None, validate=validate.Length(max=40), metadata={"description": "series slug"})
    venue = fields.Integer(load_default=None, validate=ID, metadata={"description": "venue id"})


class ProjectQuery(PageQuery):
    chain = enum_field(IndustryChain, load_default=None)
    stage = enum_field(Stage, load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=100))


class InstitutionQuery(PageQuery):
    chain = enum_field(IndustryChain, load_default=None)


class MeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    roles = fields.Function(lambda user: sorted(role.value for role in user.roles))
    company = fields.String(attribute="company.name", allow_none=True)
    institution = fields.String(attribute="institution.name", allow_none=True)


ATTENDEE_TYPES = [t.value for t in AttendeeType]


class BookingSchema(Schema):
    id = fields.Integer()
    status = fields.String(attribute="status.value")
    attendee_type = fields.String(attribute="attendee_type.value", metadata={"enum": ATTENDEE_TYPES})
    session = fields.Nested(SessionSchema)
    created_at = LocalDateTime()



class BookingRequest(JsonBody):
    session_id = fields.Integer(required=True, validate=ID)
    attendee_type = fields.String(
        load_default=AttendeeType.INVESTOR.value, validate=validate.OneOf(ATTENDEE_TYPES),
        metadata={"description": "the seats to register for: investor (investor accounts), startup (startup "
                                 "accounts), public (any account); the session must admit the type"})
    join_waitlist = fields.Boolean(load_default=True, metadata={"description": "when full, wait for a seat (202)"})
    answers = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[1-9][0-9]{0,9}$")), values=fields.String(validate=validate.Length(max=1000)),
        load_default=dict, metadata={"description": "answers to the session's registration questions, by question id"})


class WaitlistSchema(Schema):
    session = fields.Nested(SessionSchema)
    attendee_type = fields.String(metadata={"enum": ATTENDEE_TYPES})
    position = fields.Integer(metadata={"description": "1 = next to get a seat"})
    created_at = LocalDateTime()


class ApplicationSchema(Schema):
    id = fields.Integer()
    status = fields.String(attribute="status.value")
    project = fields.Nested(ProjectBriefSchema)
    series = fields.String(attribute="series.slug", allow_none=True)
    session_id = fields.Integer(allow_none=True)
    preferred_from = fields.Date(allow_none=True)
    preferred_to = fields.Date(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    created_at = LocalDateTime()


class MeetingSchema(Schema):
    id = fields.Integer()
    status = fields.String(attribute="status.value")
    initiator = fields.String(attribute="initiator.value", metadata={"description": "investor or startup"})
    awaiting = fields.String(attribute="awaiting.value", allow_none=True,
                             metadata={"description": "the side that must answer now (investor, startup), if any"})
    source = fields.String(attribute="source.value")
    project = fields.Nested(ProjectBriefSchema)
    institution = fields.String(attribute="institution.name", allow_none=True)
    institution_id = fields.Integer(allow_none=True)
    message = fields.String()
    starts_at = LocalDateTime(allow_none=True)
    ends_at = LocalDateTime(allow_none=True)
    mode = fields.String(attribute="mode.value", allow_none=True, metadata={"description": "venue or online"})
    venue = fields.String(attribute="venue.name", allow_none=True)
    meeting_link = fields.String(allow_none=True)
    location = fields.String()


class MeetingRequestBody(JsonBody):
    project_id = fields.Integer(required=True, validate=ID)
    institution_id = fields.Integer(load_default=None, validate=ID, metadata={
        "description": "startups: the verified institution asked (the project is one of the caller's own)"})
    slot_id = fields.Integer(load_default=None, validate=ID, metadata={
        "description": "investors: one of the project's free published slots, held for this request"})
    message = fields.String(load_default="", validate=validate.Length(max=1000))


class AcceptBody(JsonBody):
    slot_id = fields.Integer(load_default=None, validate=ID, metadata={
        "description": "one of the startup's free slots (default: the slot the request holds, or the proposal)"})


class ReasonBody(JsonBody):
    reason = fields.String(load_default="", validate=validate.Length(max=1000))


class ThreadSchema(Schema):
    id = fields.Integer()
    meeting_id = fields.Integer(allow_none=True)
    deal_id = fields.Integer(allow_none=True)
    title = fields.String()
    unread = fields.Integer()
    blocked = fields.Boolean(attribute="is_blocked")
    last_message_at = LocalDateTime(allow_none=True)


class ThreadRequest(JsonBody):
    meeting_id = fields.Integer(load_default=None, validate=ID)
    deal_id = fields.Integer(load_default=None, validate=ID)


class MessageSchema(Schema):
    id = fields.Integer()
    thread_id = fields.Integer()
    author_id = fields.Integer(allow_none=True)
    author = fields.String(attribute="author.name", allow_none=True)
    body = fields.Function(lambda m: "" if m.hidden_at else m.body)
    hidden = fields.Function(lambda m: m.hidden_at is not None)
    deck_project_id = fields.Integer(allow_none=True, metadata={
        "description": "a shared deck: GET /projects/{id}/deck if the deck's own rule lets the caller open it"})
    created_at = LocalDateTime()


class MessageQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(0, DB_INT_MAX),
                           metadata={"description": "only messages with a greater id"})


class MessageBody(JsonBody):
    body = fields.String(load_default="", metadata={"description": "1–2000 characters (optional with share_deck)"})
    share_deck = fields.Boolean(load_default=False, metadata={"description": "startups: attach the project's deck"})


class MatchSchema(Schema):
    project = fields.Nested(ProjectBriefSchema, attribute="match.project")
    fund = fields.String(attribute="match.fund.name")
    score = fields.Float(attribute="match.score")
    reasons = fields.List(fields.String(), attribute="match.reasons")
    flag = fields.String(attribute="flag.value", allow_none=True)


# ----------------------------------------------------------------------------- webhooks

WEBHOOK_EVENTS = [
    "session.created", "session.changed", "session.cancelled", "project.published", "booking.made",
    "financing_event.confirmed", "loan_application.decided",
]


class WebhookSubscriptionSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String(validate=validate.OneOf(WEBHOOK_EVENTS)))
    active = fields.Boolean(metadata={"description": "false while paused (by the owner, or after repeated failures)"})
    paused_reason = fields.String(allow_none=True)
    consecutive_failures = fields.Integer()
    created_at = LocalDateTime()


class WebhookCreatedSchema(WebhookSubscriptionSchema):
    secret = fields.String(metadata={"description": "signs every delivery (X-Roadshow-Signature); shown only now"})


class WebhookRequest(JsonBody):
    url = fields.String(required=True, validate=validate.Length(min=8, max=500),
                        metadata={"description": "https:// only; loopback and private addresses are refused"})
    events = fields.List(fields.String(validate=validate.OneOf(WEBHOOK_EVENTS)), required=True,
                         validate=validate.Length(min=1, max=len(WEBHOOK_EVENTS)))


class WebhookUpdate(JsonBody):
    url = fields.String(validate=validate.Length(min=8, max=500))
    events = fields.List(fields.String(validate=validate.OneOf(WEBHOOK_EVENTS)),
                         validate=validate.Length(min=1, max=len(WEBHOOK_EVENTS)))
    active = fields.Boolean(metadata={"description": "true resumes a paused subscription"})


class WebhookDeliverySchema(Schema):
    id = fields.Integer()
    event = fields.String(attribute="event.value")
    event_id = fields.String()
    status = fields.String(attribute="status.value", metadata={"enum": ["pending", "delivered", "gave_up"]})
    attempts = fields.Integer()
    next_attempt_at = LocalDateTime()
    last_attempt_at = LocalDateTime(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    replay_of_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    delivered_at = LocalDateTime(allow_none=True)
    body = fields.String(metadata={"description": "the JSON body as sent"})
