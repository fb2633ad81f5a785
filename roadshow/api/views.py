"""JSON API v1: public read endpoints built on the same services as the pages."""
from flask import Blueprint, jsonify, url_for

from ..common.timeutil import to_local
from ..roadshows.services import upcoming_sessions

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def session_json(session) -> dict:
    return {
        "id": session.id,
        "title": session.title,
        "series": session.series.name if session.series else None,
        "venue": session.venue.name,
        "industry_chain": session.industry_chain.value if session.industry_chain else None,
        "starts_at": to_local(session.starts_at).isoformat(),
        "ends_at": to_local(session.ends_at).isoformat(),
        "status": session.status.value,
        "capacity": session.capacity,
        "seats_left": session.seats_left,
        "url": url_for("roadshows.session_detail", session_id=session.id, _external=True),
    }


@bp.get("/sessions")
def sessions():
    """Upcoming roadshow sessions, soonest first."""
    return jsonify({"items": [session_json(s) for s in upcoming_sessions()]})
