"""Pitch decks: PDF only, checked by content, stored under UPLOAD_DIR with random names."""
from dataclasses import dataclass
from pathlib import Path
import secrets

from flask import current_app
from flask_babel import gettext as _

from ..common.files import UploadRejected, clean_file_name, read_limited, write_file
from .parser_slots import MachineBusy, OwnerBusy, parser_slot
from .pdfcount import PdfUnreadable, count_pages_isolated

PDF_MAGIC = b"%PDF-"
DEFAULT_NAME = "deck.pdf"


class DeckError(UploadRejected):
    """The upload is not an acceptable deck; the message is shown to the user."""


class DeckNotParsedYet(DeckError):
    """The deck may be fine, but it cannot be checked right now; the user should send it again later."""

    status = 503


@dataclass(frozen=True)
class StoredDeck:
    file_name: str
    pages: int
    size: int


def deck_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "decks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def count_pages(data: bytes) -> int:
    if not data:
        raise DeckError(_("文件是空的。"))
    if not data.startswith(PDF_MAGIC):
        raise DeckError(_("只接受 PDF 文件（文件内容不是 PDF）。"))
    try:
        pages = count_pages_isolated(data, current_app.config["PDF_PARSE_TIMEOUT"])
    except PdfUnreadable as exc:  # broken, hostile or too slow to parse: the same answer for a user
        raise DeckError(_("无法读取这个 PDF 文件，请重新导出后上传。")) from exc
    if pages < 1:
        raise DeckError(_("PDF 中没有页面。"))
    return pages


def clean_original_name(name: str | None) -> str:
    """The uploader's file name for the deck's download (see files.clean_file_name)."""
    return clean_file_name(name, ".pdf", DEFAULT_NAME)


def count_pages_in_turn(data: bytes, uploader_id: int) -> int:
    """count_pages, in one of the machine's few parser slots and one at a time per uploader."""
    config = current_app.config
    try:
        with parser_slot(Path(config["DECK_PARSER_SLOT_DIR"]), f"user-{uploader_id}",
                         config["DECK_PARSERS_PER_MACHINE"], config["DECK_PARSER_WAIT"]):
            return count_pages(data)
    except OwnerBusy:
        raise DeckNotParsedYet(_("您的另一份路演材料正在处理中，请等它完成后再上传。")) from None
    except MachineBusy:
        raise DeckNotParsedYet(_("现在同时上传的路演材料较多，请稍后再试。")) from None


def store_deck(stream, uploader_id: int) -> StoredDeck:
    """Validate an uploaded stream and write it to disk; raises DeckError."""
    data = read_limited(stream, current_app.config["MAX_DECK_BYTES"])
    return write_deck(data, count_pages_in_turn(data, uploader_id))


def write_deck(data: bytes, pages: int) -> StoredDeck:
    """Store an already validated (or self-generated) PDF under a random name; a full disk raises StorageFull
    (a RuleViolation) and leaves nothing behind."""
    file_name = f"{secrets.token_hex(16)}.pdf"
    write_file(deck_dir() / file_name, data)
    return StoredDeck(file_name=file_name, pages=pages, size=len(data))


def deck_path(file_name: str) -> Path:
    return deck_dir() / file_name


def remove_deck(file_name: str | None) -> None:
    if file_name:
        deck_path(file_name).unlink(missing_ok=True)
