"""The demo's capital-market training course: sessions, materials and one attendee who completed it."""
from datetime import date
from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from roadshow.roadshows.models import Series, SessionStatus
from roadshow.training import materials, services
from roadshow.training.models import Certificate, TrainingMaterial
from roadshow_demo import training as training_demo
from roadshow_demo.seed import DEMO_PASSWORD, seed_demo


def test_the_demo_course_has_sessions_materials_and_a_completed_attendee(app, db, client):
    seed_demo(today=date(2026, 3, 11))
    db.session.commit()
    series = db.session.scalars(sa.select(Series).where(Series.slug == training_demo.SLUG)).one()
    sessions, required, rows = services.course_report(series)
    assert len(sessions) == 3 and required == 2
    assert [s.status for s in sessions] == [SessionStatus.ENDED, SessionStatus.ENDED, SessionStatus.OPEN]
    assert {(row.user.email.split("@")[0], len(row.attended), row.complete) for row in rows} == {
        (training_demo.COMPLETED, 2, True), (training_demo.PARTIAL, 1, False)}
    stored = db.session.scalars(sa.select(TrainingMaterial).where(TrainingMaterial.file_name.is_not(None))).all()
    assert len(stored) == 2 and all(materials.material_path(m.file_name).stat().st_size == m.size for m in stored)
    certificate = db.session.scalars(sa.select(Certificate)).one()

    assert client.post("/login", data={"email": certificate.user.email, "password": DEMO_PASSWORD}).status_code == 302
    assert "已出席 2 / 需出席 2" in client.get("/training/").get_data(as_text=True)
    pdf = client.get(f"/training/courses/{series.id}/certificate.pdf")
    text = PdfReader(BytesIO(pdf.data)).pages[0].extract_text()
    assert certificate.holder_name in text and certificate.code in text
    assert "证书有效" in client.get(f"/certificates/{certificate.code}").get_data(as_text=True)

    seed_demo(today=date(2026, 3, 11))  # a second run adds nothing
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingMaterial)) == 4
