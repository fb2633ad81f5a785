"""Two languages: Simplified Chinese (the default, and the language of the source strings) and English.

The locale of a request is, in order: the visitor's explicit choice (the `lang` cookie, set by
`/lang/<code>`; a cookie rather than the session because login and logout clear the session),
else the best match of the browser's `Accept-Language` among the supported locales, else zh_CN.
"""
from functools import lru_cache

from babel import Locale
from flask import Flask, g, request
from flask_babel import force_locale, get_locale, get_translations

DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# What the switcher shows for each locale (each in its own language, so anyone can find theirs).
LABELS = {"zh_CN": "中文", "en": "EN"}


def normalize(code: str | None) -> str | None:
    """A supported locale for a code such as `en`, `en-US`, `zh`, `zh_CN`, `zh-Hans`; None otherwise."""
    if not code:
        return None
    code = code.strip().replace("-", "_").lower()
    if code.startswith("zh"):
        return "zh_CN"
    if code == "en" or code.startswith("en_"):
        return "en"
    return None


def babel_locale() -> Locale:
    """Flask-Babel's locale selector (called once per request, then cached on the request). A parsed
    Locale is handed over, parsed once per process: parsing one per request reads Babel's data files."""
    return _parsed(select_locale())


@lru_cache(maxsize=len(LOCALES))
def _parsed(code: str) -> Locale:
    return Locale.parse(code)


def select_locale() -> str:
    """The request's locale code: `zh_CN` or `en`."""
    if not request:
        return DEFAULT_LOCALE
    chosen = normalize(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    # werkzeug matches `en-US` against `en` and `zh-Hans-CN` or `zh-TW` against `zh`
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    return normalize(best) or DEFAULT_LOCALE


def current_locale() -> str:
    """`zh_CN` or `en` for the current request (a Jinja global too)."""
    return _supported(get_locale())


@lru_cache(maxsize=16)
def _supported(locale) -> str:
    # asked for every date on a page: Babel's Locale is hashable, its name is worked out once
    return normalize(str(locale or DEFAULT_LOCALE)) or DEFAULT_LOCALE


def is_english() -> bool:
    return current_locale() == "en"


def stored_language(reader=None):
    """`with stored_language(user):` around texts that are stored and read later (a notification, its e-mail):
    written in the language `reader` saved (User.language), whatever the language of the page whose action
    produced them (jobs, which have no page, write it too). Without a reader (texts several people read, such
    as match reasons), in the center's language."""
    return force_locale(normalize(getattr(reader, "language", None)) or DEFAULT_LOCALE)


def html_lang() -> str:
    """The value of `<html lang>`: a BCP 47 tag."""
    return "en" if is_english() else "zh-CN"


def request_translations():
    """Flask-Babel's get_translations(), kept on the request's Babel context: Flask-Babel looks the catalog up
    anew for every string (five context lookups and the locale's name: a tenth of a signed-in page's time).
    force_locale() empties the kept one while it switches the locale, and puts it back after."""
    context = g.get("_flask_babel")
    if context is None:
        return get_translations()
    found = getattr(context, "babel_translations", None)
    if found is None:
        found = context.babel_translations = get_translations()
    return found


def init_i18n(app: Flask) -> None:
    from .formatting import init_formatting

    # Templates' _(), ngettext() and pgettext() (Flask-Babel installed its own, which find the catalog each time).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(current_locale=current_locale, html_lang=html_lang, LOCALES=LOCALES,
                                 LOCALE_LABELS=LABELS)
    init_formatting(app)

    @app.after_request
    def vary_on_language(response):
        # pages depend on the language cookie and header: a shared cache must not mix them
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response
