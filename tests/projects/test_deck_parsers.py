"""Deck parsers (a child process each, up to 15 s of CPU and 512 MB) run a few at a time per machine and one at
a time per uploader; an upload that finds no parser is told to try again, soon, with nothing stored."""
import os
import time
from io import BytesIO

import pytest

from roadshow.accounts.models import Role
from roadshow.projects.models import Project

from ..conftest import PASSWORD, pdf_bytes
from ..support.concurrency import at_once
from .test_decks import stored_files

PARSE_SECONDS = 2

# On the parser child's PYTHONPATH: Python imports it at start-up, before the parser runs.
SLOW_PARSER = """
import atexit, os, time
log = os.environ.get("SLOW_PARSER_LOG")
if log:
    mark = os.path.join(log, str(os.getpid()))
    with open(mark + ".start", "w") as f:
        f.write(repr(time.time()))
    atexit.register(lambda: open(mark + ".end", "w").write(repr(time.time())))
    time.sleep(float(os.environ["SLOW_PARSER_SECONDS"]))
if os.environ.get("SPINNING_PARSER"):
    while True:  # a crafted file that makes the parser spin
        pass
"""


@pytest.fixture
def parser_runs(app, tmp_path, monkeypatch):
    """Makes every deck parser child slow and notes when each ran; returns the folder of notes."""
    hook, log = tmp_path / "slow-parser", tmp_path / "parser-runs"
    hook.mkdir()
    log.mkdir()
    (hook / "sitecustomize.py").write_text(SLOW_PARSER)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("SLOW_PARSER_LOG", str(log))
    monkeypatch.setenv("SLOW_PARSER_SECONDS", str(PARSE_SECONDS))
    monkeypatch.setitem(app.config, "PDF_PARSE_TIMEOUT", 60)  # a loaded test machine starts children slowly
    return log


def runs_in(log) -> list[tuple[float, float]]:
    pids = {note.stem for note in log.iterdir()}
    return [(float((log / f"{pid}.start").read_text()), float((log / f"{pid}.end").read_text())) for pid in pids]


def most_at_once(runs) -> int:
    return max(sum(1 for start, end in runs if start <= moment < end) for moment, _ in runs)


@pytest.fixture
def uploader(app, make_user, make_company, make_project):
    """(a logged-in client, a project of its own) for a new startup; `owner` reuses one for a second project."""
    def make(owner=None):
        owner = owner or make_user(Role.STARTUP)
        project = make_project(owner.company or make_company(owner))
        client = app.test_client()
        assert client.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 302
        return client, project.id, owner

    return make


def upload_all_at_once(uploads) -> dict[int, tuple]:
    """{project id: (response, seconds it took)} for the uploads, all sent at the same moment."""
    answers = {}

    def send(upload):
        client, project_id, _owner = upload
        started = time.monotonic()
        response = client.post(f"/my/projects/{project_id}/deck", data={"deck": (BytesIO(pdf_bytes(2)), "deck.pdf")},
                               content_type="multipart/form-data")
        answers[project_id] = (response, time.monotonic() - started)

    at_once(send, uploads, timeout=60)
    return answers


def assert_no_deck(db, project_id):
    db.session.expire_all()
    project = db.session.get(Project, project_id)
    assert project.deck_file is None and project.deck_pages is None


def test_uploads_beyond_the_machine_parsers_wait_briefly_then_are_refused(app, db, uploader, parser_runs):
    app.config.update(DECK_PARSERS_PER_MACHINE=2, DECK_PARSER_WAIT=0.5)
    answers = upload_all_at_once([uploader() for _ in range(3)])

    assert sorted(response.status_code for response, _ in answers.values()) == [302, 302, 503]
    runs = runs_in(parser_runs)
    assert len(runs) == 2 and most_at_once(runs) == 2
    (refused_id, (refused, seconds)), = [(pid, a) for pid, a in answers.items() if a[0].status_code == 503]
    assert "现在同时上传的路演材料较多，请稍后再试。" in refused.get_data(as_text=True)
    assert seconds < min(took for response, took in answers.values() if response.status_code == 302)  # no parse
    assert_no_deck(db, refused_id)
    assert len(stored_files(app)) == 2


def test_uploads_that_find_a_parser_within_the_wait_go_through_in_turn(app, db, uploader, parser_runs):
    app.config.update(DECK_PARSERS_PER_MACHINE=2, DECK_PARSER_WAIT=30)  # room for a slow machine
    answers = upload_all_at_once([uploader() for _ in range(3)])

    assert [response.status_code for response, _ in answers.values()] == [302] * 3
    runs = runs_in(parser_runs)
    assert len(runs) == 3 and most_at_once(runs) == 2


def test_a_second_upload_by_the_same_person_is_refused_while_the_first_is_parsed(app, db, uploader, parser_runs):
    app.config.update(DECK_PARSERS_PER_MACHINE=4, DECK_PARSER_WAIT=4 * PARSE_SECONDS)
    first = uploader()
    second = uploader(owner=first[2])
    answers = upload_all_at_once([first, second])

    assert sorted(response.status_code for response, _ in answers.values()) == [302, 503]
    (refused_id, (refused, seconds)), = [(pid, a) for pid, a in answers.items() if a[0].status_code == 503]
    assert "您的另一份路演材料正在处理中，请等它完成后再上传。" in refused.get_data(as_text=True)
    assert seconds < min(took for response, took in answers.values() if response.status_code == 302)  # at once
    assert len(runs_in(parser_runs)) == 1
    assert_no_deck(db, refused_id)
    assert len(stored_files(app)) == 1


def test_the_parser_is_limited_in_cpu_time_so_a_busy_machine_is_no_reason_to_refuse_a_deck(
        app, db, parser_runs, monkeypatch, uploader):
    monkeypatch.setitem(app.config, "PDF_PARSE_TIMEOUT", 3)
    monkeypatch.setenv("SLOW_PARSER_SECONDS", "4")
    client, project_id, _owner = uploader()
    # waiting 4 s for the CPU (here: asleep) is longer than the 3 s limit, yet uses none of it
    patient = client.post(f"/my/projects/{project_id}/deck", data={"deck": (BytesIO(pdf_bytes(2)), "deck.pdf")},
                          content_type="multipart/form-data")
    assert patient.status_code == 302 and db.session.get(Project, project_id).deck_pages == 2

    monkeypatch.setenv("SLOW_PARSER_SECONDS", "0")
    monkeypatch.setenv("SPINNING_PARSER", "1")
    client, project_id, _owner = uploader()
    spinning = client.post(f"/my/projects/{project_id}/deck", data={"deck": (BytesIO(pdf_bytes(2)), "deck.pdf")},
                           content_type="multipart/form-data")
    assert "无法读取这个 PDF 文件" in spinning.get_data(as_text=True)
    assert db.session.get(Project, project_id).deck_file is None
