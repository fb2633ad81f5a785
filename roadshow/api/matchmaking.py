"""Matchmaking days over the API: the caller's marks and unavailable slots, and their published agenda."""
from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ..common.lookup import get_visible_or_404
from ..common.timeutil import utcnow
from ..extensions import db
from ..matchmaking import services
from ..matchmaking.models import MAX_SLOTS, Mark, MatchmakingDay, MatchmakingParty
from ..matchmaking.policies import can_view_day
from .auth import require
from .blueprint import bp
from .mine import authenticated
from .schemas import ID, JsonBody, LocalDateTime, enum_field


class MatchmakingMarkSchema(JsonBody):
    party_id = fields.Integer(required=True, validate=ID, metadata={"description": "a party on the other side"})
    mark = enum_field(Mark, required=True, allow_none=True, metadata={"description": "null clears the mark"})


class MatchmakingSlotSchema(Schema):
    index = fields.Integer()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()


class MatchmakingCounterpartSchema(Schema):
    party_id = fields.Integer()
    name = fields.String()
    mark = fields.String(allow_none=True, metadata={"enum": [m.value for m in Mark] + [None]})


class MatchmakingPreferencesSchema(Schema):
    day_id = fields.Integer()
    title = fields.String()
    deadline = LocalDateTime()
    open = fields.Boolean(metadata={"description": "marks are still accepted"})
    slots = fields.List(fields.Nested(MatchmakingSlotSchema))
    counterparts = fields.List(fields.Nested(MatchmakingCounterpartSchema))
    unavailable_slots = fields.List(fields.Integer())


class MatchmakingPreferencesBody(JsonBody):
    marks = fields.List(fields.Nested(MatchmakingMarkSchema), load_default=list, validate=validate.Length(max=1000),
                        metadata={"description": "marks to set or clear; parties not listed keep theirs"})
    unavailable_slots = fields.List(fields.Integer(validate=validate.Range(0, MAX_SLOTS - 1)), required=True,
                                    validate=validate.Length(max=MAX_SLOTS),
                                    metadata={"description": "slot indexes the caller cannot meet in (replaces)"})


class MatchmakingAgendaMeetingSchema(Schema):
    slot = fields.Integer()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    with_ = fields.String(data_key="with", metadata={"description": "the other party"})
    place = fields.String(metadata={"description": "the startup's table or the shared room"})


class MatchmakingAgendaSchema(Schema):
    day_id = fields.Integer()
    title = fields.String()
    location = fields.String()
    published = fields.Boolean(metadata={"description": "false: no meetings are shown yet"})
    meetings = fields.List(fields.Nested(MatchmakingAgendaMeetingSchema))


def _mine(day_id: int) -> tuple[MatchmakingDay, MatchmakingParty]:
    day = get_visible_or_404(MatchmakingDay, day_id, can_view_day)
    party = services.party_of(current_user, day)
    if party is None:  # not taking part: there is nothing of the caller's to show
        abort(404)
    return day, party


def _preferences(day: MatchmakingDay, party: MatchmakingParty) -> dict:
    marks = services.marks_of(party)
    return {
        "day_id": day.id, "title": day.title, "deadline": day.deadline, "open": utcnow() < day.deadline,
        "slots": [{"index": n, "starts_at": day.slot_start(n), "ends_at": day.slot_end(n)} for n in day.slot_indexes],
        "counterparts": [{"party_id": p.id, "name": p.name, "mark": marks[p.id].value if p.id in marks else None}
                         for p in services.counterparts(party)],
        "unavailable_slots": sorted(party.unavailable),
    }


@bp.get("/matchmaking/<int:day_id>/preferences")
@require("read")
@authenticated
@bp.response(200, MatchmakingPreferencesSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_matchmaking_preferences(day_id):
    """The caller's marks of the other side of a matchmaking day and their unavailable slots."""
    return _preferences(*_mine(day_id))


@bp.put("/matchmaking/<int:day_id>/preferences")
@require("write")
@authenticated
@bp.arguments(MatchmakingPreferencesBody())
@bp.response(200, MatchmakingPreferencesSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def put_matchmaking_preferences(body, day_id):
    """Mark parties of the other side must / like / no (null clears) and replace the unavailable slots,
    until the day's deadline (409 `deadline_passed` after it; 422 for a party not on the other side)."""
    day, party = _mine(day_id)
    services.save_marks(current_user, day, {m["party_id"]: m["mark"].value if m["mark"] else None
                                            for m in body["marks"]}, set(body["unavailable_slots"]))
    db.session.commit()
    return _preferences(day, party)


@bp.get("/matchmaking/<int:day_id>/agenda")
@require("read")
@authenticated
@bp.response(200, MatchmakingAgendaSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_matchmaking_agenda(day_id):
    """The caller's meetings of a matchmaking day, once its schedule is published."""
    day, party = _mine(day_id)
    meetings = services.agenda(party) if day.is_published else []
    return {"day_id": day.id, "title": day.title, "location": day.location, "published": day.is_published,
            "meetings": [{"slot": m.slot, "starts_at": m.starts_at, "ends_at": m.ends_at,
                          "with_": (m.startup if party.is_investor else m.investor).name, "place": m.place()}
                         for m in meetings]}
