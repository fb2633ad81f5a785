"""Two languages: Chinese by default, English on request (switcher cookie or Accept-Language);
amounts, dates and weekdays written the way each language writes them."""
from datetime import date

import pytest
from flask_babel import force_locale

from roadshow.accounts.models import Role
from roadshow.i18n import normalize, select_locale
from roadshow.projects.models import ProjectStatus

from ..support.catalogs import ensure_compiled

ensure_compiled()

NAV_ZH = ("路演日程", "路演日历", "项目库", "投资机构")
NAV_EN = ("Roadshows", "Calendar", "Projects", "Investors")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def assert_english(html: str) -> None:
    assert '<html lang="en">' in html
    for label in NAV_EN:
        assert f"</i>{label}</a>" in html
    for label in NAV_ZH:
        assert label not in html


def assert_chinese(html: str) -> None:
    assert '<html lang="zh-CN">' in html
    for label in NAV_ZH:
        assert label in html


# --- choosing the language ----------------------------------------------------------------------

def test_chinese_is_the_default(client):
    html = page(client.get("/"))
    assert_chinese(html)
    assert "光谷科创路演中心" in html


@pytest.mark.parametrize("header, english", [
    ("en-US,en;q=0.9", True),
    ("en", True),
    ("fr-FR,fr;q=0.9,en;q=0.5", True),  # English is the only supported language the browser accepts
    ("zh-CN,zh;q=0.9,en;q=0.8", False),
    ("zh-TW", False),
    ("zh-Hans-CN", False),
    ("de", False),  # neither: the default
    ("", False),
])
def test_accept_language_picks_the_best_supported_language(client, header, english):
    html = page(client.get("/", headers={"Accept-Language": header}))
    (assert_english if english else assert_chinese)(html)


def test_switcher_sets_english_and_back_to_chinese(client):
    response = client.get("/lang/en?next=/calendar")
    assert response.status_code == 303 and response.headers["Location"] == "/calendar"
    cookie = response.headers["Set-Cookie"]
    assert "lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    assert_english(page(client.get("/")))
    # the explicit choice wins over the browser's header, both ways
    client.get("/lang/zh_CN")
    assert_chinese(page(client.get("/", headers={"Accept-Language": "en"})))
    client.post("/lang/en")
    assert_english(page(client.get("/", headers={"Accept-Language": "zh-CN"})))


def test_switcher_links_show_the_other_language_and_come_back_here(client):
    html = page(client.get("/projects?chain=ai"))
    assert 'href="/lang/en?next=/projects?chain%3Dai"' in html
    assert 'aria-current="true" lang="zh-CN">中文</span>' in html
    client.get("/lang/en")
    html = page(client.get("/calendar"))
    assert 'href="/lang/zh_CN?next=/calendar"' in html and 'aria-current="true" lang="en">EN</span>' in html


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
                                    "evil.example"])
def test_switcher_never_redirects_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_switcher_goes_back_to_the_referring_page_on_this_site_only(client):
    response = client.get("/lang/en", headers={"Referer": "http://localhost/projects?page=2"})
    assert response.headers["Location"] == "/projects?page=2"
    response = client.get("/lang/en", headers={"Referer": "http://evil.example/projects"})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_a_404_and_sets_nothing(client):
    response = client.get("/lang/fr")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers


def test_language_survives_login_and_logout(client, make_user, login):
    user = make_user(email="english@example.com")
    client.get("/lang/en")
    login(user)  # login clears the session: the language lives in its own cookie
    assert_english(page(client.get("/my/projects")))
    client.post("/logout")
    assert_english(page(client.get("/")))


def test_pages_vary_on_language(client):
    response = client.get("/")
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


@pytest.mark.parametrize("value, expected", [
    ("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("zh", "zh_CN"), ("zh_CN", "zh_CN"), ("zh-Hant-TW", "zh_CN"),
    ("fr", None), ("", None), (None, None), ("english", None),
])
def test_normalize(value, expected):
    assert normalize(value) == expected


def test_a_bad_cookie_falls_back_to_the_header(app):
    with app.test_request_context("/", headers={"Cookie": "lang=xx", "Accept-Language": "en"}):
        assert select_locale() == "en"
    with app.test_request_context("/", headers={"Cookie": "lang=xx"}):
        assert select_locale() == "zh_CN"


# --- pages in English ---------------------------------------------------------------------------

@pytest.fixture
def english(client):
    client.get("/lang/en")
    return client


def test_home_calendar_and_login_in_english(english, make_session):
    make_session(title="Photonics Day")
    html = page(english.get("/"))
    assert_english(html)
    assert "A roadshow every day, matching any time" in html and "Optics Valley Sci-Tech Roadshow Center" in html
    html = page(english.get("/calendar?view=month&date=2026-10-01"))
    assert_english(html)
    assert "October 2026" in html and ">Mon<" in html and "National Day" in html
    html = page(english.get("/login"))
    assert "Welcome back to the Optics Valley Sci-Tech Roadshow Center" in html and "Forgot your password?" in html
    assert "忘记密码" not in html


def test_project_page_in_english_with_amounts_in_cny(english, make_user, make_company, make_project, login):
    owner = make_user(name="Founder")
    company = make_company(owner, name="Wuhan Photon Ltd")
    project = make_project(company, status=ProjectStatus.APPROVED, title="Silicon photonics", amount_sought=30_000_000)
    html = page(english.get(f"/projects/{project.id}"))
    assert_english(html)
    assert "CNY 30M" in html and "3000万元" not in html
    assert "Optoelectronics" in html and "Series A" in html


def test_flash_messages_and_form_errors_in_english(english, make_user):
    make_user(email="someone@example.com")
    response = english.post("/login", data={"email": "someone@example.com", "password": "wrong-password-here"})
    html = response.get_data(as_text=True)
    assert "Incorrect email or password." in html and "邮箱或密码不正确" not in html
    html = english.post("/register", data={"role": "startup"}).get_data(as_text=True)
    assert "Please enter your name." in html


def test_chinese_pages_are_unchanged(client, make_user, make_company, make_project):
    owner = make_user()
    project = make_project(make_company(owner), status=ProjectStatus.APPROVED, amount_sought=30_000_000)
    html = page(client.get(f"/projects/{project.id}"))
    assert "3000万元" in html and "光电子信息" in html and "A轮" in html


@pytest.fixture
def in_english(app):
    with app.test_request_context("/"), force_locale("en"):
        yield


@pytest.fixture
def in_chinese(app):
    with app.test_request_context("/"):
        yield


def test_generated_session_titles_stay_chinese_whatever_the_page_language(in_english, make_template):
    from roadshow.scheduling.rules import render_title

    template = make_template(title_pattern="{series}路演 · {date} {weekday}")
    assert render_title(template, date(2026, 11, 23), None) == "路演 · 11月23日 周一"


# --- stored texts -------------------------------------------------------------------------------

def all_reasons():
    """Every reason _reason() can write: each component, with each label and each kind of amount."""
    from dataclasses import replace
    from itertools import product

    from roadshow.common.choices import IndustryChain, Region, SrdiLevel, Stage
    from roadshow.matching.explain import COMPONENTS, _reason
    from roadshow.matching.scoring import FundProfile, ProjectProfile

    fund = FundProfile(chains=frozenset(), stages=frozenset({"a"}), regions=frozenset(), ticket_min=5_000_000,
                       ticket_max=20_000_000)
    project = ProjectProfile(chain="ai", stage="a", region="wuhan", amount=10_000_000, innovation=78)
    funds = [fund, replace(fund, chains=frozenset(c.value for c in IndustryChain))] + [
        replace(fund, ticket_min=low, ticket_max=high) for low, high in ((100_000_000, 500_000_000), (20_000_000, 500_000_000))]
    projects = ([replace(project, chain=c.value) for c in IndustryChain] + [replace(project, stage=s.value) for s in Stage]
                + [replace(project, region=r.value) for r in Region] + [replace(project, amount=150_000_000)]
                + [replace(project, srdi=level.value, high_tech=h) for level in SrdiLevel for h in (False, True)])
    for f, p, kind, value in product(funds, projects, COMPONENTS, (1.0, 0.5)):
        text = _reason(kind, value, f, p)
        if text:
            yield text


def test_match_reasons_are_stored_in_chinese_and_shown_in_english(app):
    import re

    from roadshow.matching.explain import localized

    with app.test_request_context("/"):
        stored = set(all_reasons())
        assert all(re.search(r"[\u4e00-\u9fff]", r) for r in stored)
        with force_locale("en"):
            english = {r: localized(r) for r in stored}
    chinese_left = {r: e for r, e in english.items() if re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", e)}
    assert chinese_left == {}
    assert english["单笔 500–2000 万覆盖 1000 万需求"] == "Ticket of CNY 5M–20M covers the CNY 10M sought"
    assert english["产业链：光电子信息"] == "Industry chain: Optoelectronics"


def test_reasons_computed_on_an_english_page_are_still_stored_in_chinese(app):
    from roadshow.matching.explain import reasons
    from roadshow.matching.scoring import FundProfile, ProjectProfile

    fund = FundProfile(chains=frozenset({"optoelectronics"}), stages=frozenset({"a"}), regions=frozenset({"wuhan"}),
                       ticket_min=5_000_000, ticket_max=20_000_000)
    project = ProjectProfile(chain="optoelectronics", stage="a", region="wuhan", amount=10_000_000, innovation=80)
    with app.test_request_context("/"), force_locale("en"):
        texts = reasons(fund, project, {"chain": 1, "ticket": 1, "stage": 1})
    assert texts[0] == "产业链：光电子信息" and "单笔 500–2000 万覆盖 1000 万需求" in texts


def test_match_reasons_on_the_investor_page_in_english(english, make_user, make_company, make_project,
                                                        make_institution, login):
    from roadshow.extensions import db
    from roadshow.matching.services import recompute_all

    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    make_project(make_company(make_user()), status=ProjectStatus.APPROVED, amount_sought=10_000_000)
    recompute_all()
    db.session.commit()
    login(investor)
    html = page(english.get("/matching/"))
    assert "Industry chain: Optoelectronics" in html and "产业链" not in html


def test_notifications_are_written_in_chinese_whoever_caused_them(app, db, make_user, make_company, make_project,
                                                                 make_institution):
    from roadshow.meetings.models import MeetingSource
    from roadshow.meetings.services import request_meeting
    from roadshow.notifications.models import Notification

    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), status=ProjectStatus.APPROVED)
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):  # an investor on an English page
        request_meeting(investor, project, "", MeetingSource.PAGE)
    db.session.commit()
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == founder.id))
    assert "希望约见" in note.title and "请在“我的约见”中选择" in note.body
