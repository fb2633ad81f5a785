"""Live video, app side: the stream key (host and admins only, rotatable, never logged), the media server's
callbacks (a wrong key is refused; publish / publish done reach the room's clients), who may fetch HLS, and
the replay (chapters at each project's start, removed chapters cut out, admins take it down)."""
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from roadshow.accounts.models import Role
from roadshow.common.timeutil import utcnow
from roadshow.live import video
from roadshow.live.models import Recording, SlotStart
from roadshow.roadshows.models import SessionStatus

from ..support.factories import PASSWORD


@pytest.fixture
def app_overrides(tmp_path):
    return {"LIVE_VIDEO_RTMP_URL": "rtmp://roadshow.test:1935/live", "LIVE_VIDEO_MEDIA_DIR": str(tmp_path / "media")}


@pytest.fixture
def browser_of(app):
    def make(user):
        client = app.test_client()
        if user is not None:
            assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    return make


def key_of(db, session) -> str:
    stream = video.get_stream(session.id)
    db.session.commit()
    return stream.stream_key


def notify(client, call: str, session, key: str, **extra):
    """What nginx-rtmp posts: the stream name, and the push's query string (key=...) as form fields."""
    data = {"call": call, "app": "live", "name": f"session-{session.id}", "key": key, **extra}
    return client.post(f"/live/media/on_{call}", data=data)


def test_the_key_is_shown_to_the_host_and_admins_only(app, db, live_room, browser_of, make_user):
    key = key_of(db, live_room.session)
    for user in (live_room.host, make_user(Role.ADMIN)):
        page = browser_of(user).get(f"/live/{live_room.session.id}").get_data(as_text=True)
        assert key in page and "rtmp://roadshow.test:1935/live" in page
    for user in (live_room.investors[0], live_room.founder):
        page = browser_of(user).get(f"/live/{live_room.session.id}").get_data(as_text=True)
        assert key not in page and "live-video-player" in page


def test_a_wrong_key_is_refused_and_the_room_follows_the_stream(app, db, live_room, connect, client, caplog):
    caplog.set_level(logging.DEBUG)
    key = key_of(db, live_room.session)
    watcher = connect(live_room.investors[0], live_room.session)
    assert watcher.last("state")["stream"] == {
        "configured": True, "state": "waiting", "state_label": "等待直播信号",
        "hls_url": f"/media/hls/session-{live_room.session.id}.m3u8"}

    assert notify(client, "publish", live_room.session, "not-the-key").status_code == 403
    assert notify(client, "publish", live_room.session, "").status_code == 403
    assert watcher.received("stream") == []
    assert notify(client, "publish", live_room.session, key).status_code == 204
    assert watcher.received("stream")[-1]["state"] == "live"
    assert notify(client, "publish_done", live_room.session, "not-the-key").status_code == 403
    assert notify(client, "publish_done", live_room.session, key).status_code == 204
    assert watcher.received("stream")[-1]["state"] == "ended"
    assert key not in caplog.text  # never in the logs


def test_rotating_the_key_retires_the_old_one(app, db, live_room, connect, client, caplog):
    caplog.set_level(logging.DEBUG)
    old = key_of(db, live_room.session)
    host = connect(live_room.host, live_room.session)
    ack = host.emit("host:rotate_key")
    assert ack["ok"] and ack["stream_key"].startswith(f"session-{live_room.session.id}?key=")
    new = ack["stream_key"].split("key=", 1)[1]
    assert new != old
    assert notify(client, "publish", live_room.session, old).status_code == 403
    assert notify(client, "publish", live_room.session, new).status_code == 204
    assert connect(live_room.investors[0], live_room.session).emit("host:rotate_key")["code"] == "forbidden"
    assert new not in caplog.text and old not in caplog.text


def authorize(client, uri: str) -> int:
    return client.get("/live/media/authorize", headers={"X-Original-URI": uri}).status_code


def test_only_people_allowed_in_the_room_get_the_playlist(db, live_room, browser_of, make_user, make_institution):
    sid = live_room.session.id
    outsider = make_user(Role.INVESTOR)
    make_institution(outsider)
    for uri in (f"/media/hls/session-{sid}.m3u8", f"/media/hls/session-{sid}-12.ts"):
        assert authorize(browser_of(live_room.investors[0]), uri) == 204
        assert authorize(browser_of(live_room.host), uri) == 204
        assert authorize(browser_of(outsider), uri) == 403
        assert authorize(browser_of(None), uri) == 403
    seated = browser_of(live_room.investors[0])
    for uri in ("/media/hls/../records/x.flv", f"/media/hls/session-{sid}.flv", "/media/other", ""):
        assert authorize(seated, uri) == 403
    live_room.session.public_viewing = True
    db.session.commit()
    assert authorize(browser_of(None), f"/media/hls/session-{sid}.m3u8") == 204


def test_a_room_without_a_media_server_says_video_is_not_configured(app, live_room, browser_of, connect):
    app.config["LIVE_VIDEO_RTMP_URL"] = None
    page = browser_of(live_room.host).get(f"/live/{live_room.session.id}").get_data(as_text=True)
    assert "本平台尚未配置视频直播" in page and "live-video-player" not in page
    assert connect(live_room.investors[0], live_room.session).last("state")["stream"] == {"configured": False}


# ---------------------------------------------------------------- replays
def fake_replay(app, db, session, seconds: int) -> Recording:
    """A ready recording of `seconds` in 2-second segments, as ffmpeg leaves it."""
    started = utcnow() - timedelta(seconds=seconds + 5)
    recording = Recording(session_id=session.id, started_at=started, ended_at=started + timedelta(seconds=seconds),
                          duration_seconds=seconds, folder=f"session-{session.id}/0123456789abcdef", ready=True)
    db.session.add(recording)
    folder = Path(app.config["LIVE_VIDEO_MEDIA_DIR"]) / "replays" / recording.folder
    folder.mkdir(parents=True)
    lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:2"]
    for n in range(seconds // 2):
        lines += ["#EXTINF:2.000000,", f"seg-{n:05d}.ts"]
        (folder / f"seg-{n:05d}.ts").write_bytes(b"ts")
    (folder / "index.m3u8").write_text("\n".join(lines + ["#EXT-X-ENDLIST"]) + "\n")
    return recording


@pytest.fixture
def ended_with_replay(app, db, live_room):
    """The live room's session, recorded for 60 s: the first project started at 10 s, the second at 40 s."""
    session = live_room.session
    recording = fake_replay(app, db, session, 60)
    first, second = live_room.slots
    db.session.add_all([
        SlotStart(slot_id=first.id, session_id=session.id, started_at=recording.started_at + timedelta(seconds=10)),
        SlotStart(slot_id=second.id, session_id=session.id, started_at=recording.started_at + timedelta(seconds=40)),
    ])
    session.status = SessionStatus.ENDED
    video.get_stream(session.id)
    db.session.commit()
    return recording


def test_the_replay_has_a_chapter_at_each_projects_start(db, live_room, ended_with_replay, browser_of):
    sid = live_room.session.id
    viewer = browser_of(live_room.investors[0])
    page = viewer.get(f"/live/{sid}/record").get_data(as_text=True)
    first, second = (slot.project.title for slot in live_room.slots)
    assert f'data-seek="10.0"' in page and f'data-seek="40.0"' in page
    assert f"0:10</span> · {first}" in page and f"0:40</span> · {second}" in page
    playlist = viewer.get(f"/live/{sid}/replay/{ended_with_replay.id}.m3u8")
    assert playlist.status_code == 200 and playlist.mimetype == "application/vnd.apple.mpegurl"
    assert playlist.get_data(as_text=True).count("#EXTINF") == 30
    assert authorize(viewer, f"/media/replays/{ended_with_replay.folder}/seg-00007.ts") == 204
    assert authorize(browser_of(None), f"/media/replays/{ended_with_replay.folder}/seg-00007.ts") == 403


def test_a_startup_removes_its_chapter_from_the_replay(db, live_room, ended_with_replay, browser_of):
    sid, first = live_room.session.id, live_room.slots[0]
    viewer = browser_of(live_room.investors[0])
    other = browser_of(live_room.investors[1])
    assert other.post(f"/live/{sid}/replay/chapters/{first.id}/remove").status_code == 404  # not their project
    assert browser_of(live_room.founder).post(f"/live/{sid}/replay/chapters/{first.id}/remove").status_code == 302
    playlist = viewer.get(f"/live/{sid}/replay/{ended_with_replay.id}.m3u8").get_data(as_text=True)
    assert playlist.count("#EXTINF") == 15 and "seg-00007.ts" not in playlist and "#EXT-X-DISCONTINUITY" in playlist
    assert authorize(viewer, f"/media/replays/{ended_with_replay.folder}/seg-00007.ts") == 403  # cut: 10 s–40 s
    assert authorize(viewer, f"/media/replays/{ended_with_replay.folder}/seg-00020.ts") == 204
    page = viewer.get(f"/live/{sid}/record").get_data(as_text=True)
    second = live_room.slots[1].project.title
    assert f"0:10</span> · {second}" in page and live_room.slots[0].project.title + "</button>" not in page


def test_admins_take_the_replay_down_and_open_it_to_verified_investors(
        db, live_room, ended_with_replay, browser_of, make_user, make_institution):
    sid, segment = live_room.session.id, f"/media/replays/{ended_with_replay.folder}/seg-00001.ts"
    admin = browser_of(make_user(Role.ADMIN))
    seated = browser_of(live_room.investors[0])
    verified = make_user(Role.INVESTOR)
    make_institution(verified, verified=True)
    unverified = make_user(Role.INVESTOR)
    make_institution(unverified, verified=False)
    assert authorize(browser_of(verified), segment) == 403  # no seat, not opened to them

    assert admin.post(f"/live/{sid}/replay", data={"published": "y", "open_to_verified": "y"}).status_code == 302
    assert authorize(browser_of(verified), segment) == 204
    assert browser_of(verified).get(f"/live/{sid}/record").status_code == 200
    assert authorize(browser_of(unverified), segment) == 403

    assert admin.post(f"/live/{sid}/replay", data={}).status_code == 302  # both switches off: taken down
    assert authorize(seated, segment) == 403
    assert seated.get(f"/live/{sid}/replay/{ended_with_replay.id}.m3u8").status_code == 404
    assert "本场回放已下线" in seated.get(f"/live/{sid}/record").get_data(as_text=True)
    assert seated.post(f"/live/{sid}/replay", data={"published": "y"}).status_code == 404  # admins only
