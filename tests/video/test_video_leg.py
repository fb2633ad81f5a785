"""The `video` leg: the real media server (nginx with its RTMP module, ffmpeg), started by scripts/serve-prod.sh
as `make serve-prod` does, and Debian's Chromium through Playwright.

ffmpeg pushes a generated test stream (testsrc) with the session's key; in the investor's room the video
plays (its currentTime advances) while the host starts the two projects; a signed-in investor without a seat
and an anonymous visitor get 403 for the playlist; after the session ends the replay plays on the record
page with a chapter at each project's start.
"""
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect, sync_playwright

from roadshow.accounts.models import Role
from roadshow.live import video
from roadshow.live.models import Recording

from ..support.factories import PASSWORD
from ..support.server import ROOT, free_port

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
pytestmark = [
    pytest.mark.skipif(not Path("/usr/lib/nginx/modules/ngx_rtmp_module.so").exists(),
                       reason="nginx's RTMP module is not installed (libnginx-mod-rtmp, scripts/install-system-deps.sh)"),
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (scripts/install-system-deps.sh)"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def media_server(app, tmp_path):
    """scripts/serve-prod.sh with live video, on the test's database; (site URL, RTMP URL)."""
    run_dir, log, rtmp_port = tmp_path / "run", tmp_path / "serve-prod.log", free_port()
    # nginx's workers (nobody, when the tests run as root) must reach the media files: pytest's own
    # temporary folders are private to their owner, so the media live in a folder of their own.
    media_dir = Path(tempfile.mkdtemp(prefix="roadshow-media-"))
    media_dir.chmod(0o755)
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "video-secret",
           "UPLOAD_DIR": str(tmp_path / "uploads"), "PORT": str(free_port()), "WORKERS": "1", "RUN_DIR": str(run_dir),
           "RTMP_PORT": str(rtmp_port), "VIDEO": "1",
           "MEDIA_DIR": str(media_dir)}
    env.pop("REDIS_URL", None)
    with open(log, "w") as out:
        process = subprocess.Popen(["bash", "scripts/serve-prod.sh"], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 180
        while not (run_dir / "ready").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve-prod did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        assert "live video: push to" in log.read_text(), log.read_text()[-2000:]
        yield (run_dir / "ready").read_text().strip(), f"rtmp://127.0.0.1:{rtmp_port}/live"
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(media_dir, ignore_errors=True)


def push(rtmp: str, stream_key: str, seconds: int) -> subprocess.Popen:
    """ffmpeg sends a generated picture and tone, in real time, as OBS would."""
    return subprocess.Popen(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
         "-f", "lavfi", "-i", "sine", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15", "-c:a", "aac",
         "-t", str(seconds), "-f", "flv", f"{rtmp}/{stream_key}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def current_time(page, selector: str) -> float:
    return page.evaluate("(selector) => document.querySelector(selector).currentTime", selector)


def playing(page, selector: str) -> None:
    """The video's clock moves: it is really playing, not just loaded. (Polled from here: wait_for_function
    would evaluate a string in the page, which its CSP forbids.)"""
    deadline = time.monotonic() + 45
    while current_time(page, selector) <= 0.5:
        assert time.monotonic() < deadline, f"{selector} never started playing: " + page.evaluate(
            "(s) => { const v = document.querySelector(s); return [v.readyState, v.networkState, v.error && v.error.message, v.src].join(' '); }",
            selector)
        page.wait_for_timeout(250)
    before = current_time(page, selector)
    page.wait_for_timeout(2000)
    assert current_time(page, selector) > before + 0.5


def test_pushed_stream_plays_in_the_room_outsiders_get_403_and_the_replay_has_chapters(
        media_server, db, live_room, make_user, make_institution):
    site, rtmp = media_server
    session = live_room.session
    stream_key = f"session-{session.id}?key={video.get_stream(session.id).stream_key}"
    db.session.commit()
    outsider = make_user(Role.INVESTOR)
    make_institution(outsider)

    console = []  # shown when the video does not play
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)

        def signed_in(user, width=1366):
            context = browser.new_context(base_url=site, locale="zh-CN", viewport={"width": width, "height": 900})
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            email = user.email  # the callbacks below run outside the app context
            page.on("console", lambda message: console.append(f"{email}: {message.text}"))
            page.on("response", lambda r: console.append(f"{r.status} {r.url}") if "/media/" in r.url else None)
            page.goto("/login")
            page.fill("[name=email]", email)
            page.fill("[name=password]", PASSWORD)
            page.locator("form [type=submit]").last.click()
            page.wait_for_url(lambda url: "/login" not in url)
            return page

        investor = signed_in(live_room.investors[0])
        host = signed_in(live_room.host)
        for page in (investor, host):
            page.goto(f"/live/{session.id}")
            expect(page.locator("#live-conn")).to_have_attribute("data-state", "ok")
        expect(investor.locator("#live-video-state")).to_have_attribute("data-state", "waiting")

        encoder = push(rtmp, stream_key, 24)
        try:
            expect(investor.locator("#live-video-state")).to_have_attribute("data-state", "live", timeout=20_000)
            host.locator(f'#live-queue [data-slot="{live_room.slots[0].id}"]').click()
            try:
                playing(investor, "#live-video-player")
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n" + "\n".join(console[-40:])) from None
            playlist = f"{site}/media/hls/session-{session.id}.m3u8"
            assert investor.request.get(playlist).status == 200
            assert signed_in(outsider).request.get(playlist).status == 403  # signed in, no seat
            assert browser.new_context().request.get(playlist).status == 403  # the copied URL, anonymous
            for width in (390, 1366):
                investor.set_viewport_size({"width": width, "height": 900})
                investor.screenshot(path=SCREENSHOTS / f"live-video-{width}.png", full_page=True)
            investor.wait_for_timeout(4000)
            host.locator(f'#live-queue [data-slot="{live_room.slots[1].id}"]').click()
            assert encoder.wait(timeout=60) == 0, encoder.stderr.read().decode()[-500:]
        finally:
            if encoder.poll() is None:
                encoder.kill()
        expect(investor.locator("#live-video-state")).to_have_attribute("data-state", "ended", timeout=20_000)
        host.locator('[data-host="host:end"]').click()
        expect(host.locator("#live-ended")).to_be_visible()

        deadline = time.monotonic() + 90
        while not db.session.scalar(sa.select(Recording.id).where(Recording.session_id == session.id,
                                                                  Recording.ready.is_(True))):
            assert time.monotonic() < deadline, "the recording never became a replay"
            time.sleep(0.5)
            db.session.rollback()

        investor.goto(f"/live/{session.id}/record")
        chapters = investor.locator(".replay-chapters [data-seek]")
        expect(chapters).to_have_count(2)
        expect(chapters.first).to_contain_text(live_room.slots[0].project.title)
        expect(chapters.last).to_contain_text(live_room.slots[1].project.title)
        chapters.last.click()
        playing(investor, ".replay-player")
        expect(investor.locator(f'.replay-qa-project[data-slot-id="{live_room.slots[1].id}"]')).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width in (390, 1366):
            investor.set_viewport_size({"width": width, "height": 900})
            investor.screenshot(path=SCREENSHOTS / f"replay-{width}.png", full_page=True)
        investor.get_by_role("link", name="EN", exact=True).first.click()
        expect(investor.get_by_text("Q&A of the project being played")).to_be_visible()
        host.goto(f"/live/{session.id}")
        host.get_by_role("link", name="EN", exact=True).first.click()
        expect(host.get_by_text("Streaming settings (OBS)")).to_be_visible()
        for width in (390, 1366):
            for page, name in ((investor, "replay-english"), (host, "live-room-host-english")):
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        browser.close()
