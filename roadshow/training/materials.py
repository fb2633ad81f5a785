"""Training materials on disk: PDF, PPTX, DOCX or XLSX, checked by content like pitch decks, stored under
UPLOAD_DIR/materials with random names. The reading, size limit, name cleaning and whole-or-nothing write
are the decks' (common.files, projects.decks); what is added here is the check of Office files."""
from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..common.files import UploadRejected, clean_file_name, read_limited, write_file
from ..projects.decks import count_pages_in_turn

# The part every file of each Office kind contains (Office Open XML): a renamed ZIP or another Office kind lacks it.
OFFICE_MAIN_PART = {"pptx": "ppt/presentation.xml", "docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MIME_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class StoredMaterial:
    file_name: str
    original_name: str
    file_type: str
    size: int


def material_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "materials"
    path.mkdir(parents=True, exist_ok=True)
    return path


def material_path(file_name: str) -> Path:
    return material_dir() / file_name


def file_type_of(name: str | None) -> str:
    """The kind the uploader's file name says (pdf, pptx, docx, xlsx); anything else is refused."""
    suffix = (name or "").rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    if suffix not in MIME_TYPES:
        raise UploadRejected(_("只接受 PDF、PPTX、DOCX 或 XLSX 文件。"))
    return suffix


def check_office_file(data: bytes, file_type: str) -> None:
    """The file is a readable Office Open XML package of the kind its name says (the directory is read, nothing
    is inflated)."""
    if not data:
        raise UploadRejected(_("文件是空的。"))
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist()) if data.startswith(ZIP_MAGIC) else set()
    except (zipfile.BadZipFile, ValueError):
        names = set()
    if OFFICE_MAIN_PART[file_type] not in names:
        raise UploadRejected(_("文件内容不是 %(kind)s 文件，请重新导出后上传。", kind=file_type.upper()))


def store_material(stream, original_name: str | None, uploader_id: int) -> StoredMaterial:
    """Validate an uploaded material and write it to disk; raises UploadRejected (or StorageFull)."""
    file_type = file_type_of(original_name)
    data = read_limited(stream, current_app.config["MAX_DECK_BYTES"])
    if file_type == "pdf":
        count_pages_in_turn(data, uploader_id)  # the decks' check: a PDF that parses, in a parser slot
    else:
        check_office_file(data, file_type)
    file_name = f"{secrets.token_hex(16)}.{file_type}"
    write_file(material_dir() / file_name, data)
    return StoredMaterial(file_name=file_name, original_name=clean_file_name(original_name, f".{file_type}",
                                                                             f"material.{file_type}"),
                          file_type=file_type, size=len(data))


def remove_material(file_name: str | None) -> None:
    if file_name:
        material_path(file_name).unlink(missing_ok=True)
