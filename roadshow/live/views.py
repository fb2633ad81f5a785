"""Live roadshow rooms: the room page (the Socket.IO client fills it in) and the session's record afterwards."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..roadshows.models import SessionStatus
from ..roadshows.queries import session_with_lineup
from . import events, queries
from .access import Access, record_access, room_access
from .errors import LiveError
from .models import ANNOUNCEMENT_MAX, POLL_OPTIONS_MAX, POLL_QUESTION_MAX, QUESTION_MAX

bp = Blueprint("live", __name__, url_prefix="/live")
# Bound when the blueprint is registered, i.e. once for every app the factory creates.
bp.record(lambda _state: events.register())


def _enter(session_id: int, check=room_access) -> Access:
    """The visitor's access; otherwise they are sent to log in, or back to the session page with the reason."""
    session = session_with_lineup(session_id) or abort(404)
    try:
        return check(session, current_user)
    except LiveError as exc:
        if exc.code == "login_required":
            abort(redirect(url_for("accounts.login", next=request.path)))
        flash(str(exc), "warning")
        abort(redirect(url_for("roadshows.session_detail", session_id=session_id)))


@bp.get("/<int:session_id>")
def room(session_id: int):
    access = _enter(session_id)
    return render_template("live/room.html", session=access.session, access=access,
                           question_max=QUESTION_MAX, announcement_max=ANNOUNCEMENT_MAX,
                           poll_question_max=POLL_QUESTION_MAX, poll_options_max=POLL_OPTIONS_MAX)


@bp.get("/<int:session_id>/record")
def record(session_id: int):
    access = _enter(session_id, record_access)
    if access.session.status != SessionStatus.ENDED:
        flash(_("路演结束后才会生成路演记录，现在可以进入直播间。"), "info")
        return redirect(url_for(".room", session_id=session_id))
    return render_template("live/record.html", session=access.session, record=queries.session_record(access.session))
