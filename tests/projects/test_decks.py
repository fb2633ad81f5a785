"""Uploading pitch decks: only real PDFs are stored; replacing a deck removes the old file."""
from io import BytesIO

import pytest

from roadshow.accounts.models import Role
from roadshow.projects import decks
from roadshow.projects.models import Project, ProjectStatus as S

from ..conftest import pdf_bytes


@pytest.fixture
def owner_project(client, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    project = make_project(make_company(owner))
    login(owner)
    return project


def upload(client, project, data: bytes, name: str = "路演.pdf"):
    return client.post(
        f"/my/projects/{project.id}/deck",
        data={"deck": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored_files(app) -> list[str]:
    folder = decks.deck_dir()
    return sorted(p.name for p in folder.iterdir())


def assert_nothing_stored(app, db, project):
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.deck_file is None and project.deck_pages is None and project.deck_size is None
    assert stored_files(app) == []


def test_valid_pdf_is_stored_with_its_page_count(app, client, db, owner_project):
    response = upload(client, owner_project, pdf_bytes(7), "光谷硅光 BP.pdf")

    assert response.status_code == 302
    db.session.refresh(owner_project)
    assert owner_project.deck_pages == 7
    assert owner_project.deck_original_name == "光谷硅光 BP.pdf"
    assert owner_project.deck_size == len(pdf_bytes(7))
    assert owner_project.deck_uploaded_at is not None
    assert stored_files(app) == [owner_project.deck_file]
    assert owner_project.deck_file.endswith(".pdf") and "光谷" not in owner_project.deck_file  # random name
    page = client.get(f"/my/projects/{owner_project.id}/edit").get_data(as_text=True)
    assert "7 页" in page and "路演材料已上传" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html><script>alert(1)</script></html>", "只接受 PDF 文件"),
        (b"", "文件是空的"),
        (b"%PDF-1.7\nthis is not really a pdf at all", "无法读取这个 PDF 文件"),
    ],
    ids=["html-named-pdf", "empty", "garbage-after-magic"],
)
def test_bad_files_are_refused_and_nothing_is_stored(app, client, db, owner_project, data, message):
    response = upload(client, owner_project, data, "x.pdf")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "is-invalid" in html  # shown on the file field
    assert owner_project.title in html  # the edit page, not an error page
    assert_nothing_stored(app, db, owner_project)


def test_oversized_deck_is_refused(app, client, db, owner_project):
    app.config["MAX_DECK_BYTES"] = 2048
    big = pdf_bytes(60)
    assert len(big) > 2048

    response = upload(client, owner_project, big)

    assert response.status_code == 400
    assert "文件超过 2 KB 上限" in response.get_data(as_text=True)
    assert_nothing_stored(app, db, owner_project)


def test_missing_file_is_refused(app, client, db, owner_project):
    response = client.post(f"/my/projects/{owner_project.id}/deck", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "请选择要上传的 PDF 文件" in response.get_data(as_text=True)
    assert_nothing_stored(app, db, owner_project)


def test_reupload_replaces_and_deletes_the_previous_file(app, client, db, owner_project):
    upload(client, owner_project, pdf_bytes(3))
    db.session.refresh(owner_project)
    first = owner_project.deck_file

    upload(client, owner_project, pdf_bytes(5), "v2.pdf")
    db.session.refresh(owner_project)

    assert owner_project.deck_file != first and owner_project.deck_pages == 5
    assert stored_files(app) == [owner_project.deck_file]
    assert not decks.deck_path(first).exists()


def test_failed_reupload_keeps_the_previous_deck(app, client, db, owner_project):
    upload(client, owner_project, pdf_bytes(3))
    db.session.refresh(owner_project)
    first = owner_project.deck_file

    assert upload(client, owner_project, b"GIF89a...", "fake.pdf").status_code == 400

    db.session.expire_all()
    project = db.session.get(Project, owner_project.id)
    assert project.deck_file == first and project.deck_pages == 3
    assert stored_files(app) == [first]


def test_deck_cannot_be_replaced_after_submission(app, client, db, make_user, make_company, make_project, login):
    owner = make_user(Role.STARTUP)
    project = make_project(make_company(owner), S.SUBMITTED)
    login(owner)

    response = upload(client, project, pdf_bytes(2))

    assert response.status_code == 400
    assert "不能更换路演材料" in response.get_data(as_text=True)
    assert_nothing_stored(app, db, project)


def test_other_startup_cannot_upload(app, client, db, make_user, make_company, make_project, login):
    project = make_project(make_company(make_user(Role.STARTUP)))
    intruder = make_user(Role.STARTUP)
    make_company(intruder)
    login(intruder)

    assert upload(client, project, pdf_bytes(2)).status_code == 404
    assert_nothing_stored(app, db, project)


def test_original_name_is_cleaned_for_the_download_header():
    assert decks.clean_original_name("C:\\Users\\张三\\Desktop\\BP.pdf") == "BP.pdf"
    assert decks.clean_original_name("../../etc/passwd") == "passwd.pdf"
    assert decks.clean_original_name("a\r\nb.pdf") == "ab.pdf"
    assert decks.clean_original_name("") == "deck.pdf"


def test_html_polyglot_with_pdf_magic_is_refused(client, make_user, make_company, make_project, login):
    owner = make_user()
    project = make_project(make_company(owner))
    login(owner)
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF"
    response = client.post(f"/my/projects/{project.id}/deck", data={"deck": (BytesIO(polyglot), "deck.pdf")},
                           content_type="multipart/form-data")
    assert "无法读取这个 PDF 文件" in response.get_data(as_text=True)


def test_body_over_the_limit_is_refused_before_it_is_read(app, client, make_user, make_company, make_project, login):
    owner = make_user()
    project = make_project(make_company(owner))
    login(owner)
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    # Only the header claims the size: a 413 proves the server refused without reading a body.
    response = client.post(f"/my/projects/{project.id}/deck", data=b"",
                           content_type="multipart/form-data; boundary=x",
                           environ_overrides={"CONTENT_LENGTH": str(too_big)})
    assert response.status_code == 413


def test_pdf_that_takes_too_long_to_parse_is_refused_not_waited_for(app, client, make_user, make_company, make_project, login):
    app.config["PDF_PARSE_TIMEOUT"] = 0.001  # stands in for a crafted file that makes the parser spin
    owner = make_user()
    project = make_project(make_company(owner))
    login(owner)
    response = client.post(f"/my/projects/{project.id}/deck", data={"deck": (BytesIO(pdf_bytes()), "deck.pdf")},
                           content_type="multipart/form-data")
    assert "无法读取这个 PDF 文件" in response.get_data(as_text=True)
    assert project.deck_file is None
