"""Every page in English, as each kind of user sees it: no Chinese left in the interface.

The demo data is seeded, then every Chinese text in the database is replaced by ASCII (company names,
pitches and titles are data, not interface, and stay in whatever language they were written in). Any
Chinese character still on a page after that comes from a template or from code: an untranslated
string, a string not wrapped in _(), or Chinese punctuation glued around a translated one.
"""
import re

import pytest
import sqlalchemy as sa

from roadshow.extensions import db as _db

from ..support.access_world import seeded_world, visiting
from ..support.catalogs import ensure_compiled
from ..security.test_access_control import ACCESS, url_for_rule

ensure_compiled()

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# The switcher names Chinese in Chinese (marked lang="zh-CN"): the one Chinese word an English page has.
SWITCHER_CHINESE = re.compile(r'lang="zh-CN"[^>]*>中文<')
ROLES = ("anonymous", "startup_a", "investor", "bank", "government", "host", "reviewer", "admin")
SKIPPED = {"accounts.logout", "i18n.switch", "static"}


def _ascii(value, label: str):
    """The value with every Chinese text replaced (recursively inside JSON lists and objects)."""
    if isinstance(value, str):
        return label if CJK.search(value) else value
    if isinstance(value, list):
        return [_ascii(v, f"{label}-{i}") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _ascii(v, f"{label}-{k}") for k, v in value.items()}
    return value


def scrub_chinese_data() -> int:
    """Replace Chinese in every text and JSON column of every table; returns how many values changed."""
    changed = 0
    for table in _db.metadata.sorted_tables:
        text_columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))
                        and not isinstance(c.type, sa.Enum) and not c.primary_key]
        keys = list(table.primary_key.columns)
        if not text_columns or not keys:
            continue
        for row in _db.session.execute(sa.select(*keys, *text_columns)).mappings():
            values = {}
            for column in text_columns:
                value = row[column.name]
                replaced = _ascii(value, f"{table.name[:3]}{row[keys[0].name]}{column.name[:2]}")
                if replaced != value:
                    values[column.name] = replaced
            if values:
                _db.session.execute(sa.update(table).where(*(k == row[k.name] for k in keys)).values(**values))
                changed += len(values)
    return changed


@pytest.fixture(scope="module")
def ascii_world(tmp_path_factory, migrated_template):
    def scrub():
        assert scrub_chinese_data() > 100

    return seeded_world(tmp_path_factory.mktemp("i18n-pages"), migrated_template, prepare=scrub)


def chinese_on(html: str) -> list[str]:
    html = SWITCHER_CHINESE.sub("", html)
    return sorted({html[max(0, m.start() - 40):m.end() + 40].replace("\n", " ") for m in CJK.finditer(html)})[:5]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_english_for(role, ascii_world, tmp_path):
    leftovers, pages = {}, 0
    with visiting(ascii_world, tmp_path, role) as (app, client, world):
        client.get("/lang/en")
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if rule.endpoint in SKIPPED or "GET" not in rule.methods or ACCESS[rule.endpoint].expected(role) != "ok":
                continue
            url = url_for_rule(app, rule, world["ids"])
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            found = chinese_on(response.get_data(as_text=True))
            if found:
                leftovers[url] = found
    assert pages > 10
    assert leftovers == {}, f"Chinese on English pages seen by {role}: {leftovers}"
