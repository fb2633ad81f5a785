"""Live roadshow rooms: the room page (the Socket.IO client fills it in) and the session's record afterwards."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..roadshows.models import SessionStatus
from ..roadshows.queries import session_with_lineup
from ..extensions import csrf, db, socketio
from . import broadcast, events, interests, queries, video
from .access import Access, record_access, room_access
from .errors import LiveError
from .forms import ChapterRemovalForm, ReplaySettingsForm
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
                           publishing=video.publishing_for(access), video_configured=video.configured(),
                           question_max=QUESTION_MAX, announcement_max=ANNOUNCEMENT_MAX,
                           poll_question_max=POLL_QUESTION_MAX, poll_options_max=POLL_OPTIONS_MAX)


@bp.get("/<int:session_id>/record")
def record(session_id: int):
    access = _enter(session_id, record_access)
    if access.session.status != SessionStatus.ENDED:
        flash(_("路演结束后才会生成路演记录，现在可以进入直播间。"), "info")
        return redirect(url_for(".room", session_id=session_id))
    session = access.session
    replay_allowed = video.replay_access(session, current_user) is not None
    stream = db.session.get(video.LiveStream, session.id)
    return render_template(
        "live/record.html", session=session, record=queries.session_record(session), access=access,
        replays=video.replays_for(session) if replay_allowed else [], stream=stream,
        removed=video.removed_slot_ids(session.id), removal_form=ChapterRemovalForm(),
        replay_form=ReplaySettingsForm(published=stream.replay_published, open_to_verified=stream.replay_open_to_verified)
        if stream is not None else ReplaySettingsForm(published=True),
        interested_institutions=interests.interested_institutions(session.id, current_user.company_id)
        if current_user.is_authenticated and current_user.company_id else [],
    )


def _session_or_404(session_id: int):
    return session_with_lineup(session_id) or abort(404)


@bp.get("/<int:session_id>/replay/<int:recording_id>.m3u8")
def replay_playlist(session_id: int, recording_id: int):
    """The replay as served: its segments minus any chapter a startup had removed."""
    session = _session_or_404(session_id)
    recording = db.session.get(video.Recording, recording_id)
    if video.replay_access(session, current_user) is None or recording is None or \
            recording.session_id != session.id or not recording.ready:
        abort(404)
    body = video.served_playlist(video.replay_of(recording, session))
    return body, 200, {"Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": "private, no-store"}


@bp.post("/<int:session_id>/replay")
def replay_settings(session_id: int):
    """Admins publish or take down the replay and open it to verified investors."""
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(404)
    session = _session_or_404(session_id)
    # On POST an unticked box sends nothing: the form must not fall back to the stored values.
    form = ReplaySettingsForm()
    if form.validate_on_submit():
        video.set_replay(session, form.published.data, form.open_to_verified.data)
        db.session.commit()
        flash(_("回放设置已保存。"), "success")
    return redirect(url_for(".record", session_id=session.id))


@bp.post("/<int:session_id>/replay/chapters/<int:slot_id>/remove")
@login_required
def remove_chapter(session_id: int, slot_id: int):
    """A presenting startup takes its chapter out of the replay."""
    session = _session_or_404(session_id)
    form = ChapterRemovalForm()
    try:
        video.remove_chapter(current_user, session, slot_id)
    except LiveError:
        abort(404)
    if form.validate_on_submit():
        db.session.commit()
        flash(_("您的项目片段已从回放中删除。"), "success")
    else:
        db.session.rollback()
    return redirect(url_for(".record", session_id=session.id))


# The media server's calls (nginx-rtmp notifications and nginx's auth_request). nginx sends them from
# loopback; the push's query string (the key) arrives as form fields. No CSRF token: no browser sends these.
@bp.post("/media/on_publish")
@csrf.exempt
def media_publish():
    return _media_event(video.on_publish)


@bp.post("/media/on_publish_done")
@csrf.exempt
def media_publish_done():
    return _media_event(video.on_publish_done)


def _media_event(handler):
    try:
        stream = handler(request.form.get("name", ""), request.form.get("key"))
    except video.MediaRefused:
        db.session.rollback()
        return "", 403  # nginx-rtmp drops the push
    db.session.commit()
    broadcast.stream_changed(stream.session_id)
    return "", 204


@bp.post("/media/on_record_done")
@csrf.exempt
def media_record_done():
    form = request.form
    try:
        recording = video.on_record_done(form.get("name", ""), form.get("key"), form.get("path", ""))
    except video.MediaRefused:
        db.session.rollback()
        return "", 403
    db.session.commit()
    socketio.start_background_task(video.make_replay, current_app._get_current_object(), recording.id, form["path"])
    return "", 204


@bp.get("/media/authorize")
def media_authorize():
    """nginx asks, for each playlist and segment a browser requests (X-Original-URI), whether to serve it."""
    allowed = video.may_fetch(request.headers.get("X-Original-URI", ""), current_user)
    return "", 204 if allowed else 403
