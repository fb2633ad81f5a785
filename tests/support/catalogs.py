"""The message catalogs for tests: compiled when stale (`make translations` does it for the app), and the
strings the code uses right now, extracted with Babel exactly as `make messages` does (babel.cfg)."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}


def catalog_path(locale: str = "en") -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str = "en"):
    with catalog_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def ensure_compiled() -> None:
    """Write each .mo whose .po is newer (a fresh clone that ran only pytest has none)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalog = read_catalog(po.parent.parent.name)
            with mo.open("wb") as f:
                write_mo(f, catalog)  # fuzzy entries left out, as pybabel compile does


def extract_messages() -> dict[tuple[str | None, str], list[str]]:
    """Every (context, msgid) in the code and templates now (plurals under their singular), with where it is."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[tuple[str | None, str], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((context, msgid), []).append(f"{filename}:{lineno}")
    return found
