"""Live video of a session: the stream key, what the media server reports, who may fetch media, the replay.

The media server is nginx with its RTMP module (deploy/, started by scripts/serve-prod.sh). An encoder
pushes to LIVE_VIDEO_RTMP_URL with the stream name `session-<id>?key=<secret>`; nginx asks the app
(on_publish) and refuses the push unless the key is right; on_publish_done and on_record_done report the
end. nginx writes the HLS of stream `session-<id>` under /media/hls/ and asks the app for every playlist
and segment (auth_request): only people allowed in the room get them, so a copied URL fails for others.
The key travels in the query string of the push only: it is never part of a file or URL that viewers see.
"""
from __future__ import annotations

import hmac
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..common.timeutil import utcnow
from ..extensions import db
from ..roadshows.models import RoadshowSession, SessionStatus, Slot
from .access import Access, record_access, room_access
from .errors import LiveError
from .models import ChapterRemoval, LiveStream, Recording, SlotStart, StreamState
from .room import require_host

HLS_PREFIX = "/media/hls/"
REPLAY_PREFIX = "/media/replays/"
STREAM_NAME = re.compile(r"session-([1-9][0-9]{0,9})")
LIVE_MEDIA = re.compile(r"/media/hls/session-([1-9][0-9]{0,9})(?:-[0-9]{1,9})?\.(?:m3u8|ts)")
REPLAY_SEGMENT = re.compile(r"/media/replays/session-([1-9][0-9]{0,9})/([0-9a-f]{16})/seg-([0-9]{5})\.ts")


class MediaRefused(Exception):
    """The media server's request is refused (wrong key, unknown stream): it answers the encoder with an error."""


def configured() -> bool:
    return bool(current_app.config["LIVE_VIDEO_RTMP_URL"])


def stream_name(session_id: int) -> str:
    return f"session-{session_id}"


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def get_stream(session_id: int) -> LiveStream:
    """The session's stream, created with a fresh key on first use."""
    stream = db.session.get(LiveStream, session_id)
    if stream is not None:
        return stream
    try:
        with db.session.begin_nested():
            stream = LiveStream(session_id=session_id, stream_key=_new_key(), state=StreamState.WAITING,
                                key_rotated_at=utcnow(), replay_published=True, replay_open_to_verified=False)
            db.session.add(stream)
    except IntegrityError:
        stream = db.session.get(LiveStream, session_id, populate_existing=True)
    return stream


@dataclass(frozen=True)
class Publishing:
    """What a host types into OBS: the server URL and the stream key (name and secret together)."""
    server_url: str
    stream_key: str


def publishing_for(access: Access) -> Publishing | None:
    """For the session's host and admins only; None for everyone else or when video is not configured."""
    if not access.can_moderate or not configured():
        return None
    stream = get_stream(access.session.id)
    return Publishing(current_app.config["LIVE_VIDEO_RTMP_URL"], f"{stream_name(stream.session_id)}?key={stream.stream_key}")


def rotate_key(access: Access) -> Publishing:
    """A new key: the old one stops working for the next push (a running push carries on)."""
    require_host(access)
    if not configured():
        raise LiveError("video_not_configured", _("本平台尚未配置视频直播。"))
    stream = get_stream(access.session.id)
    stream.stream_key = _new_key()
    stream.key_rotated_at = utcnow()
    db.session.flush()
    return publishing_for(access)


# ------------------------------------------------------------------ the media server's callbacks
def _stream_for(name: str, key: str | None) -> LiveStream:
    match = STREAM_NAME.fullmatch(name or "")
    stream = db.session.get(LiveStream, int(match.group(1))) if match else None
    if stream is None or not key or not hmac.compare_digest(stream.stream_key.encode(), key.encode()):
        raise MediaRefused("unknown stream or wrong key")
    return stream


def _set_state(stream: LiveStream, state: StreamState) -> None:
    stream.state = state
    if state == StreamState.LIVE:
        stream.published_at = utcnow()
    db.session.flush()


def on_publish(name: str, key: str | None) -> LiveStream:
    stream = _stream_for(name, key)
    session = db.session.get(RoadshowSession, stream.session_id)
    if session.status in (SessionStatus.CANCELLED, SessionStatus.ENDED):
        raise MediaRefused("the session is over")
    _set_state(stream, StreamState.LIVE)
    return stream


def on_publish_done(name: str, key: str | None) -> LiveStream:
    stream = _stream_for(name, key)
    _set_state(stream, StreamState.ENDED)
    return stream


def stream_payload(session_id: int) -> dict:
    """What the room shows about the video: not configured, or the state and the playlist to play."""
    if not configured():
        return {"configured": False}
    stream = db.session.get(LiveStream, session_id)
    state = stream.state if stream is not None else StreamState.WAITING
    return {"configured": True, "state": state.value, "state_label": str(state.label),
            "hls_url": f"{HLS_PREFIX}{stream_name(session_id)}.m3u8"}


# ------------------------------------------------------------------ recordings → replays
def replays_dir() -> Path:
    return Path(current_app.config["LIVE_VIDEO_MEDIA_DIR"]) / "replays"


def on_record_done(name: str, key: str | None, path: str) -> Recording:
    """nginx finished a recording file: note it, and turn it into an HLS replay in the background."""
    stream = _stream_for(name, key)
    source = Path(path)
    records = (Path(current_app.config["LIVE_VIDEO_MEDIA_DIR"]) / "records").resolve()
    if source.resolve().parent != records or not source.is_file():
        raise MediaRefused("a recording outside the records folder")
    now = utcnow()
    recording = Recording(session_id=stream.session_id, started_at=stream.published_at or now, ended_at=now,
                          duration_seconds=0, folder=f"{stream_name(stream.session_id)}/{secrets.token_hex(8)}", ready=False)
    db.session.add(recording)
    db.session.flush()
    return recording


def make_replay(app: Flask, recording_id: int, source: str) -> None:
    """ffmpeg copies the recording into HLS segments (no re-encoding: a two-hour session takes seconds)."""
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        folder = replays_dir() / recording.folder
        folder.mkdir(parents=True, exist_ok=True)
        command = [app.config["LIVE_VIDEO_FFMPEG"], "-nostdin", "-loglevel", "error", "-y", "-i", source,
                   "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
                   "-hls_segment_filename", str(folder / "seg-%05d.ts"), str(folder / "index.m3u8")]
        result = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
        if result.returncode != 0:
            app.logger.error("replay of recording %s failed: %s", recording_id, result.stderr[-500:])
            shutil.rmtree(folder, ignore_errors=True)
            db.session.remove()
            return
        recording.duration_seconds = sum(duration for _name, duration in segments_of(folder / "index.m3u8"))
        recording.ready = True
        db.session.commit()
        db.session.remove()


def segments_of(playlist: Path) -> list[tuple[str, float]]:
    """(segment file, seconds) in the order of an ffmpeg VOD playlist."""
    segments, duration = [], None
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:"):].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append((line.strip(), duration))
            duration = None
    return segments


# ------------------------------------------------------------------ chapters (room.note_slot_start marks them)
@dataclass
class Chapter:
    slot: Slot
    offset: float  # seconds into the replay as served


@dataclass
class Segment:
    name: str
    duration: float
    original_start: float  # seconds into the recording


@dataclass
class Replay:
    recording: Recording
    segments: list[Segment]  # what is served (removed chapters cut out)
    chapters: list[Chapter]


def _removed_slots(session_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(ChapterRemoval.slot_id).where(ChapterRemoval.session_id == session_id)))


def replay_of(recording: Recording, session: RoadshowSession) -> Replay:
    """The recording's segments minus removed chapters, and a chapter at each project's start within it."""
    starts = {s.slot_id: s.started_at for s in db.session.scalars(
        sa.select(SlotStart).where(SlotStart.session_id == session.id))}
    marks = sorted(((starts[slot.id] - recording.started_at).total_seconds(), slot) for slot in session.slots
                   if slot.id in starts and recording.started_at <= starts[slot.id] <= recording.ended_at)
    removed = _removed_slots(session.id)
    cut = [(max(at, 0.0), marks[i + 1][0] if i + 1 < len(marks) else float("inf"))
           for i, (at, slot) in enumerate(marks) if slot.id in removed]
    kept, position = [], 0.0
    for name, duration in segments_of(replays_dir() / recording.folder / "index.m3u8"):
        if not any(begin <= position < end for begin, end in cut):
            kept.append(Segment(name, duration, position))
        position += duration
    chapters, served = [], 0.0
    timeline = []
    for segment in kept:
        timeline.append((segment.original_start, served))
        served += segment.duration
    for at, slot in marks:
        if slot.id in removed:
            continue
        offset = next((new for original, new in timeline if original + 0.5 >= at), None)
        if offset is not None:
            chapters.append(Chapter(slot, offset))
    return Replay(recording, kept, chapters)


def replays_for(session: RoadshowSession) -> list[Replay]:
    recordings = db.session.scalars(
        sa.select(Recording).where(Recording.session_id == session.id, Recording.ready.is_(True)).order_by(Recording.id))
    return [replay_of(r, session) for r in recordings]


def served_playlist(replay: Replay) -> str:
    """The replay's HLS playlist as served: only the kept segments, a discontinuity where a chapter was cut."""
    target = max((s.duration for s in replay.segments), default=2)
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{int(target + 0.999)}",
             "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-MEDIA-SEQUENCE:0"]
    expected = 0.0
    for segment in replay.segments:
        if abs(segment.original_start - expected) > 0.01:
            lines.append("#EXT-X-DISCONTINUITY")
        lines += [f"#EXTINF:{segment.duration:.6f},", f"{REPLAY_PREFIX}{replay.recording.folder}/{segment.name}"]
        expected = segment.original_start + segment.duration
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ who may fetch media
def replay_access(session: RoadshowSession, user: User | None) -> Access | None:
    """Whoever may read the session's record, when the replay is published (hosts and admins: always)."""
    try:
        access = record_access(session, user)
    except LiveError:
        return None
    stream = db.session.get(LiveStream, session.id)
    if access.can_moderate or (stream is not None and stream.replay_published):
        return access
    return None


def may_fetch(uri: str, user: User | None) -> bool:
    """nginx's auth_request for one playlist or segment: the live room's rule, or the replay's."""
    path = uri.split("?", 1)[0]
    if match := LIVE_MEDIA.fullmatch(path):
        session = db.session.get(RoadshowSession, int(match.group(1)))
        if session is None:
            return False
        try:
            room_access(session, user)
        except LiveError:
            return False
        return True
    if match := REPLAY_SEGMENT.fullmatch(path):
        session = db.session.get(RoadshowSession, int(match.group(1)))
        if session is None or replay_access(session, user) is None:
            return False
        folder = f"session-{match.group(1)}/{match.group(2)}"
        recording = db.session.scalar(sa.select(Recording).where(Recording.folder == folder, Recording.ready.is_(True)))
        if recording is None:
            return False
        name = f"seg-{match.group(3)}.ts"
        return any(segment.name == name for segment in replay_of(recording, session).segments)  # not a cut chapter
    return False


# ------------------------------------------------------------------ replay settings
def set_replay(session: RoadshowSession, published: bool, open_to_verified: bool) -> LiveStream:
    """Admins publish or take down the replay, and open it to verified investors without a seat."""
    stream = get_stream(session.id)
    stream.replay_published = published
    stream.replay_open_to_verified = open_to_verified
    db.session.flush()
    return stream


def remove_chapter(user: User, session: RoadshowSession, slot_id: int) -> ChapterRemoval:
    """The presenting company asks for its chapter to leave the replay; it is cut out at once."""
    slot = next((s for s in session.slots if s.id == slot_id), None)
    if slot is None or user.company_id is None or slot.project.company_id != user.company_id:
        raise LiveError("not_found", _("本场路演没有您企业的这个项目。"))
    removal = db.session.get(ChapterRemoval, slot.id)
    if removal is None:
        removal = ChapterRemoval(slot_id=slot.id, session_id=session.id, requested_by_id=user.id, requested_at=utcnow())
        db.session.add(removal)
        db.session.flush()
    return removal


def removed_slot_ids(session_id: int) -> set[int]:
    return _removed_slots(session_id)
