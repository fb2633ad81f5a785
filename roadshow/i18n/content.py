"""Curated content in two languages. Sessions, series, templates, venues and institutions keep their text in
Chinese (the center's language, required) and optionally in English (`<field>_en`); a page shows the
English text when the reader reads English and the English text exists, else the Chinese one.

    class Venue(db.Model):
        name = mapped_column(...)
        name_en = mapped_column(...)
        display_name = Bilingual("name")   # what pages show
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from . import is_english

CJK = re.compile(r"[\u3400-\u9fff]")


def in_reader_language(chinese: str, english: str | None) -> str:
    return english if english and is_english() else chinese


def own_language(text) -> Markup:
    """Text a user wrote (a project title, a company or person's name) as it was written: on an English page,
    Chinese text is marked lang="zh-CN" so that screen readers pronounce it as Chinese (a Jinja filter)."""
    if hasattr(text, "__html__"):  # already markup (a template's own text, or marked before): escape() keeps it
        return escape(text)
    text = "" if text is None else str(text)
    if is_english() and CJK.search(text):
        return Markup('<span lang="zh-CN">%s</span>') % text
    return escape(text)


class Bilingual:
    """Read-only attribute: the object's `field_en` for a reader of English when it is filled in, else `field`."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return in_reader_language(getattr(obj, self.field), getattr(obj, f"{self.field}_en", None))
