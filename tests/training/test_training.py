"""Training courses: materials per session, attendance from check-in, the completion rule, certificates."""
import io
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from pypdf import PdfReader
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role
from roadshow.checkin.services import check_in
from roadshow.organisers.models import DecisionStatus, Organiser, OrganiserKind, OrganiserMember
from roadshow.roadshows.models import Booking, Series, SeriesKind
from roadshow.training import materials
from roadshow.training.models import Certificate, TrainingMaterial

from ..conftest import pdf_bytes


@pytest.fixture
def make_organiser(db, make_user):
    """An approved organiser with one member account and one training series of its own."""
    def make(name: str, slug: str):
        member = make_user(Role.ORGANISER, email=f"{slug}@example.com", name=f"{name}联系人")
        organiser = Organiser(name=name, kind=OrganiserKind.DISTRICT, contact_name="联系人",
                              status=DecisionStatus.APPROVED)
        db.session.add(organiser)
        db.session.flush()
        db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=member.id))
        series = Series(name=f"{name}资本市场培训", name_en="Capital Market Training", slug=slug,
                        kind=SeriesKind.TRAINING, organiser_id=organiser.id)
        db.session.add(series)
        db.session.commit()
        return member, series
    return make


@pytest.fixture
def course(make_organiser, make_session, make_user):
    """Organiser A's training series of three sessions (a week apart), organiser B's member, an admin."""
    member, series = make_organiser("东湖高新区科技创新局", "ehtz-training")
    other, _other_series = make_organiser("华中科技大学技术转移中心", "hust-training")
    sessions = [make_session(series_id=series.id, title=f"科创板上市规则·第{n}讲", starts_in=timedelta(days=2 + 7 * n))
                for n in range(3)]
    return {"organiser": member, "series": series, "sessions": sessions, "other": other,
            "admin": make_user(Role.ADMIN, email="admin@example.com")}


def register(db, user, *sessions):
    """A confirmed registration for each session (whatever the attendee's type)."""
    bookings = [Booking(session_id=s.id, user_id=user.id) for s in sessions]
    db.session.add_all(bookings)
    db.session.commit()
    return bookings


def attend(db, booking, staff):
    """Checked in at the door, as staff do it."""
    check_in(booking.session, booking.checkin_code, staff)
    db.session.commit()


def upload(client, session, data: bytes, name: str, title: str = "科创板上市规则讲义", **fields):
    return client.post(f"/training/sessions/{session.id}/materials",
                       data={"title": title, "file": (BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def office_file(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def material_rows(db) -> list[TrainingMaterial]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(TrainingMaterial).order_by(TrainingMaterial.id)))


def stored_files() -> list[str]:
    return sorted(p.name for p in materials.material_dir().iterdir())


# --- materials -----------------------------------------------------------------------------------

def test_the_series_organiser_and_admins_manage_materials_another_organiser_gets_404(db, client, switch_to, course):
    session = course["sessions"][0]
    switch_to(course["organiser"])
    assert upload(client, session, pdf_bytes(4), "讲义.pdf").status_code == 302
    [material] = material_rows(db)
    assert material.original_name == "讲义.pdf" and material.file_type == "pdf" and not material.is_public
    assert stored_files() == [material.file_name]

    switch_to(course["other"])  # another organiser: its power ends at its own series
    assert upload(client, session, pdf_bytes(1), "别人的.pdf").status_code == 404
    assert client.get(f"/training/materials/{material.id}/download").status_code == 404
    assert client.post(f"/training/materials/{material.id}/visibility", data={"is_public": "y"}).status_code == 404
    assert client.post(f"/training/materials/{material.id}/delete").status_code == 404
    assert [(m.id, m.is_public) for m in material_rows(db)] == [(material.id, False)]
    assert "讲义" not in client.get(f"/training/sessions/{session.id}/materials").get_data(as_text=True)

    switch_to(course["admin"])
    response = client.post(f"/training/sessions/{session.id}/materials",
                           data={"title": "北交所上市指引", "url": "https://www.bse.cn/rules"})
    assert response.status_code == 302
    assert [m.url for m in material_rows(db)] == [None, "https://www.bse.cn/rules"]
    assert client.post(f"/training/materials/{material.id}/delete").status_code == 302
    assert [m.title for m in material_rows(db)] == ["北交所上市指引"] and stored_files() == []


def test_materials_are_seen_by_those_registered_and_by_everyone_once_public(db, client, switch_to, course, make_user):
    session = course["sessions"][0]
    switch_to(course["organiser"])
    upload(client, session, pdf_bytes(2), "讲义.pdf", title="内部讲义")
    [material] = material_rows(db)
    attendee, stranger = make_user(Role.STARTUP, name="王学员"), make_user(Role.STARTUP)
    register(db, attendee, session)

    switch_to(attendee)
    assert "内部讲义" in client.get(f"/training/sessions/{session.id}/materials").get_data(as_text=True)
    response = client.get(f"/training/materials/{material.id}/download")
    assert response.status_code == 200 and response.data == pdf_bytes(2)
    assert response.headers["Cache-Control"] == "private, no-store"
    switch_to(stranger)
    assert "内部讲义" not in client.get(f"/training/sessions/{session.id}/materials").get_data(as_text=True)
    assert client.get(f"/training/materials/{material.id}/download").status_code == 404
    client.post("/logout")
    assert client.get(f"/training/materials/{material.id}/download").status_code == 404

    switch_to(course["organiser"])
    assert client.post(f"/training/materials/{material.id}/visibility", data={"is_public": "y"}).status_code == 302
    client.post("/logout")
    assert "内部讲义" in client.get(f"/training/sessions/{session.id}/materials").get_data(as_text=True)
    assert client.get(f"/training/materials/{material.id}/download").data == pdf_bytes(2)


def test_a_session_outside_a_training_series_has_no_materials_page(client, make_session):
    assert client.get(f"/training/sessions/{make_session().id}/materials").status_code == 404


@pytest.mark.parametrize("data, name, message", [
    (b"<html><script>alert(1)</script></html>", "讲义.pdf", "只接受 PDF 文件"),
    (b"MZ\x90\x00", "setup.exe", "只接受 PDF、PPTX、DOCX 或 XLSX 文件"),
    (pdf_bytes(1), "讲义", "只接受 PDF、PPTX、DOCX 或 XLSX 文件"),
    (b"", "讲义.docx", "文件是空的"),
    (b"PK\x03\x04 not really a zip", "课件.pptx", "文件内容不是 PPTX 文件"),
    (office_file("word/document.xml"), "课件.pptx", "文件内容不是 PPTX 文件"),  # a Word file renamed
    (pdf_bytes(1), "表格.xlsx", "文件内容不是 XLSX 文件"),
])
def test_bad_files_are_refused_and_nothing_is_stored(db, client, login, course, data, name, message):
    login(course["organiser"])
    response = upload(client, course["sessions"][0], data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert material_rows(db) == [] and stored_files() == []


def test_a_file_above_the_limit_is_refused(db, client, login, course, app):
    app.config["MAX_DECK_BYTES"] = 1000
    login(course["organiser"])
    response = upload(client, course["sessions"][0], office_file("ppt/presentation.xml") + b"\0" * 1000, "课件.pptx")
    assert response.status_code == 400 and "文件超过" in response.get_data(as_text=True)
    assert material_rows(db) == [] and stored_files() == []


def test_office_files_are_accepted_and_sent_with_their_type(db, client, login, course):
    login(course["organiser"])
    for data, name in [(office_file("ppt/presentation.xml"), "课件.pptx"), (office_file("word/document.xml"), "案例.docx"),
                       (xlsx_bytes(), "财务模型.xlsx")]:
        assert upload(client, course["sessions"][0], data, name).status_code == 302
    rows = material_rows(db)
    assert [m.file_type for m in rows] == ["pptx", "docx", "xlsx"]
    response = client.get(f"/training/materials/{rows[2].id}/download")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.data == xlsx_bytes() or response.data[:2] == b"PK"


# --- completion and certificates -----------------------------------------------------------------

def test_completion_follows_check_ins_and_the_organisers_threshold(db, client, switch_to, course, make_user):
    sessions, staff = course["sessions"], course["admin"]
    student = make_user(Role.STARTUP, name="李学员")
    bookings = register(db, student, *sessions)
    attend(db, bookings[0], staff)
    attend(db, bookings[1], staff)

    switch_to(student)
    page = client.get("/training/").get_data(as_text=True)
    assert course["series"].name in page and "已出席 2 / 需出席 3" in page
    assert "出席全部 3 场课程" in page and "下载结业证书（PDF）" not in page
    assert client.get(f"/training/courses/{course['series'].id}/certificate.pdf").status_code == 404

    switch_to(course["organiser"])
    assert client.post(f"/training/courses/{course['series'].id}", data={"required_sessions": "2"}).status_code == 302
    switch_to(student)
    page = client.get("/training/").get_data(as_text=True)
    assert "已出席 2 / 需出席 2" in page and "出席 3 场课程中的至少 2 场" in page and "下载结业证书（PDF）" in page


def test_the_certificate_is_a_pdf_with_the_name_course_and_code_issued_once(db, client, login, course, make_user):
    student = make_user(Role.STARTUP, name="张明远")
    for booking in register(db, student, *course["sessions"]):
        attend(db, booking, course["admin"])
    login(student)
    url = f"/training/courses/{course['series'].id}/certificate.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    certificate = db.session.scalars(sa.select(Certificate)).one()
    assert "张明远" in text and course["series"].name in text and certificate.code in text
    assert f"/certificates/{certificate.code}" in text

    client.get(url)  # downloaded again: the same certificate
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1
    db.session.add(Certificate(user_id=student.id, series_id=course["series"].id, holder_name="张明远", course_title="x",
                               organiser_name="x", sessions_attended=3, sessions_required=3))
    with pytest.raises(IntegrityError):  # once per person and course, by the database too
        db.session.flush()
    db.session.rollback()


def test_someone_who_did_not_complete_gets_no_certificate(db, client, login, course, make_user):
    student = make_user(Role.STARTUP, name="赵未完")
    bookings = register(db, student, *course["sessions"])
    attend(db, bookings[0], course["admin"])
    login(student)
    response = client.get(f"/training/courses/{course['series'].id}/certificate.pdf")
    assert response.status_code == 404
    assert "您还没有完成这门课程（已出席 1 场，需出席 3 场）" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(Certificate)).all() == []


def test_the_public_verification_page_says_whose_certificate_and_whether_it_is_valid(db, client, login, course,
                                                                                     make_user):
    student = make_user(Role.STARTUP, name="张明远")
    for booking in register(db, student, *course["sessions"]):
        attend(db, booking, course["admin"])
    login(student)
    client.get(f"/training/courses/{course['series'].id}/certificate.pdf")
    code = db.session.scalars(sa.select(Certificate.code)).one()
    client.post("/logout")

    page = client.get(f"/certificates/{code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "证书有效" in text and "张明远" in text and course["series"].name in text
    forged = client.get(f"/certificates/{code[:-1]}{'A' if code[-1] != 'A' else 'B'}")
    assert forged.status_code == 404 and "证书无效" in forged.get_data(as_text=True)
    assert "张明远" not in forged.get_data(as_text=True)


# --- the organiser's course page ---------------------------------------------------------------

def test_the_organiser_sees_who_attended_which_session_and_exports_it(db, client, switch_to, course, make_user):
    sessions = course["sessions"]
    done, halfway = make_user(Role.STARTUP, name="张明远"), make_user(Role.INVESTOR, name="=HYPERLINK(1)")
    for booking in register(db, done, *sessions):
        attend(db, booking, course["admin"])
    attend(db, register(db, halfway, sessions[0], sessions[1])[0], course["admin"])

    switch_to(course["organiser"])
    page = client.get(f"/training/courses/{course['series'].id}").get_data(as_text=True)
    assert "1 人结业 / 2 人报名" in page and "张明远" in page
    csv_text = client.get(f"/training/courses/{course['series'].id}/attendance.csv").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("'=HYPERLINK(1)") and lines[1].endswith(",出席,已报名,,1,3,否")
    assert lines[2].startswith("张明远") and lines[2].endswith(",出席,出席,出席,3,3,是")

    switch_to(course["other"])
    assert client.get(f"/training/courses/{course['series'].id}").status_code == 404
    assert client.get(f"/training/courses/{course['series'].id}/attendance.csv").status_code == 404
    assert client.post(f"/training/courses/{course['series'].id}", data={"required_sessions": "1"}).status_code == 404
    assert course["series"].name not in client.get("/training/courses").get_data(as_text=True)
    switch_to(done)
    assert client.get(f"/training/courses/{course['series'].id}").status_code == 403


def test_two_downloads_at_once_issue_one_certificate(app, db, course, make_user):
    """The second request reads before the first commits (no certificate yet) and inserts while the first still
    holds its row: the unique (person, course) lets one through and the other returns that one."""
    import threading
    import time

    from roadshow import create_app
    from roadshow.training.services import issue_certificate

    from ..support.concurrency import at_once

    student = make_user(Role.STARTUP, name="张明远")
    for booking in register(db, student, *course["sessions"]):
        attend(db, booking, course["admin"])
    other = create_app({**app.config})  # a second instance: its own engine and connections, as another process
    first_wrote, codes = threading.Event(), {}
    user_type, user_id, series_type, series_id = type(student), student.id, type(course["series"]), course["series"].id

    def download(instance):
        with instance.app_context():
            database = instance.extensions["sqlalchemy"]
            person, series = database.session.get(user_type, user_id), database.session.get(series_type, series_id)
            if instance is app:
                codes["first"] = issue_certificate(person, series).code
                first_wrote.set()
                time.sleep(1)  # the other request inserts meanwhile
            else:
                assert first_wrote.wait(timeout=30)
                codes["second"] = issue_certificate(person, series).code
            database.session.commit()

    at_once(download, (app, other), timeout=60)
    with other.app_context():
        other.extensions["sqlalchemy"].engine.dispose()
    assert codes["first"] == codes["second"]
    assert db.session.scalars(sa.select(Certificate.code)).all() == [codes["first"]]


def test_a_training_session_page_links_to_its_materials(client, course, make_session):
    session = course["sessions"][0]
    assert f"/training/sessions/{session.id}/materials" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    roadshow = make_session()
    assert "/materials" not in client.get(f"/sessions/{roadshow.id}").get_data(as_text=True)


def test_managing_materials_the_rule_and_issuing_certificates_are_audited_once(db, client, switch_to, course,
                                                                               make_user):
    from roadshow.audit.models import AuditEntry

    session, series = course["sessions"][0], course["series"]
    switch_to(course["organiser"])
    upload(client, session, pdf_bytes(1), "讲义.pdf")
    [material] = material_rows(db)
    client.post(f"/training/materials/{material.id}/visibility", data={"is_public": "y"})
    client.post(f"/training/courses/{series.id}", data={"required_sessions": "1"})
    client.post(f"/training/materials/{material.id}/delete")
    switch_to(course["other"])  # refused: nothing recorded
    client.post(f"/training/courses/{series.id}", data={"required_sessions": "2"})
    student = make_user(Role.STARTUP, name="张明远")
    attend(db, register(db, student, session)[0], course["admin"])
    switch_to(student)
    client.get(f"/training/courses/{series.id}/certificate.pdf")
    client.get(f"/training/courses/{series.id}/certificate.pdf")

    entries = db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor_id).order_by(AuditEntry.id)).all()
    organiser = course["organiser"].id
    assert entries == [("training.material_add", organiser), ("training.material_visibility", organiser),
                       ("training.course_rule", organiser), ("training.material_remove", organiser),
                       ("certificate.issue", student.id)]
