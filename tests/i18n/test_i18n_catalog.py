"""The English catalog is complete: every string the code and templates use now has a translation.

The strings are extracted fresh from the source (as `make messages` does), so a new `_()` that nobody
translated fails here, with the file and line, instead of shipping in Chinese on the English site.
"""
import re

from ..support.catalogs import ensure_compiled, extract_messages, read_catalog

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sd]|\{\w+\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def entries(catalog):
    for message in catalog:
        if message.id:
            yield message


def test_every_string_in_the_code_has_an_english_translation():
    catalog = read_catalog("en")
    translated = {}
    for message in entries(catalog):
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            translated[(message.context, msgid)] = strings
    missing = {key: where[:2] for key, where in extract_messages().items() if key not in translated}
    assert missing == {}, (
        f"{len(missing)} strings have no English translation (run `make messages`, translate them in "
        f"translations/en/LC_MESSAGES/messages.po, then `make translations`): {missing}"
    )


def test_translations_keep_the_placeholders_of_their_source():
    wrong = {}
    for message in entries(read_catalog("en")):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            # a plural's translations may drop the number placeholder only in the singular
            expected = placeholders(ids[-1] if len(ids) > 1 else ids[0])
            if text and placeholders(text) != expected and not (len(ids) > 1 and text is strings[0]):
                wrong[ids[0]] = text
    assert wrong == {}


def test_english_strings_are_english():
    cjk = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
    chinese = {m.id: m.string for m in entries(read_catalog("en"))
               if any(cjk.search(s) for s in (m.string if isinstance(m.string, tuple) else (m.string,)) if s)}
    assert chinese == {}


def test_compiled_catalog_is_what_flask_babel_loads(app):
    from flask_babel import force_locale, gettext

    ensure_compiled()
    with app.test_request_context("/"):
        with force_locale("en"):
            assert gettext("路演日程") == "Roadshows"
        assert gettext("路演日程") == "路演日程"  # Chinese is the source language: no catalog needed
