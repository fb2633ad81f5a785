"""Curated content in English: sessions, series, templates, venues and institutions have optional English
versions, shown to readers of English; without one, the Chinese text is shown."""
import re
from datetime import date

import pytest
from flask_babel import force_locale

from roadshow.accounts.models import Role

from ..support.catalogs import ensure_compiled

ensure_compiled()


@pytest.fixture
def english(client):
    client.get("/lang/en")
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_session_page_shows_the_english_title_series_and_venue_to_english_readers(client, db, make_session, make_series):
    series = make_series(name="一月一链·光电子", name_en="Chain of the Month")
    session = make_session(title="一月一链 · 光电子信息专场", title_en="Chain of the Month · Optoelectronics",
                           description="光芯屏端网", description_en="Light, chips, screens", series=series)
    session.venue.name_en = "Changjiang Roadshow Hall"
    db.session.commit()

    chinese = text(client.get(f"/sessions/{session.id}"))
    assert "一月一链 · 光电子信息专场" in chinese and "Chain of the Month · Optoelectronics" not in chinese
    assert "长江路演厅" in chinese

    client.get("/lang/en")
    english = text(client.get(f"/sessions/{session.id}"))
    assert re.search(r"<h1[^>]*>\s*Chain of the Month · Optoelectronics\s*</h1>", english)
    assert "Light, chips, screens" in english and "Changjiang Roadshow Hall" in english
    assert "一月一链" not in english and "长江路演厅" not in english, re.findall(r".{80}(?:一月一链|长江路演厅).{40}", english)
    assert "Chain of the Month · Optoelectronics" in text(client.get("/sessions"))


def test_without_an_english_version_english_readers_see_the_chinese_text(english, make_session):
    session = make_session(title="光电子信息专场路演")
    assert "光电子信息专场路演" in text(english.get(f"/sessions/{session.id}"))


def test_institution_name_and_intro_in_english(english, make_institution):
    institution = make_institution(name="长江启航创业投资管理有限公司", name_en="Changjiang Qihang Venture Capital",
                                   intro="扎根光谷", intro_en="Rooted in Optics Valley")
    assert "Changjiang Qihang Venture Capital" in text(english.get("/institutions"))
    page = text(english.get(f"/institutions/{institution.id}"))
    assert "Rooted in Optics Valley" in page and "扎根光谷" not in page


def test_template_gives_generated_sessions_their_english_title(app, make_template, make_series):
    from roadshow.scheduling.rules import render_title, render_title_en

    template = make_template(title_pattern="{series} · {chain}专场", title_pattern_en="{series} · {chain}",
                             series=make_series(name="每日路演", name_en="Daily Roadshow"))
    from roadshow.common.choices import IndustryChain
    day = date(2026, 11, 23)
    with app.test_request_context("/"), force_locale("en"):
        assert render_title(template, day, IndustryChain.OPTOELECTRONICS) == "每日路演 · 光电子信息专场"
        assert render_title_en(template, day, IndustryChain.OPTOELECTRONICS) == "Daily Roadshow · Optoelectronics"
    template.title_pattern_en = None
    assert render_title_en(template, day, IndustryChain.OPTOELECTRONICS) is None


def test_admin_saves_a_sessions_english_title(client, db, make_user, make_session, login):
    session = make_session(title="光电子信息专场路演")
    login(make_user(Role.ADMIN))
    form = text(client.get(f"/admin/sessions/{session.id}/edit"))
    assert 'name="title_en"' in form
    data = {
        "title": session.title, "title_en": "Optoelectronics Day", "venue_id": session.venue_id,
        "series_id": "", "host_id": "", "industry_chain": "", "capacity": session.capacity,
        "starts_at": "2030-01-07T14:00", "ends_at": "2030-01-07T16:00", "status": session.status.value,
        "description": "", "description_en": "",
    }
    response = client.post(f"/admin/sessions/{session.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(session)
    assert session.title_en == "Optoelectronics Day" and session.description_en is None


def test_a_one_page_deck_reads_1_page(english, make_user, make_company, make_project):
    from roadshow.projects.models import ProjectStatus

    company = make_company(make_user())
    one, many = (make_project(company, ProjectStatus.APPROVED, deck_file=f"{n:032x}.pdf", deck_pages=n, deck_size=2048)
                 for n in (1, 12))
    page = text(english.get(f"/projects/{one.id}"))
    assert "1 page " in page and "1 pages" not in page
    assert "12 pages" in text(english.get(f"/projects/{many.id}"))
