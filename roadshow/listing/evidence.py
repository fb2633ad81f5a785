"""Evidence files of checklist items: PDFs checked and stored the way pitch decks are (same size limit, same
content check, written whole or not at all), under UPLOAD_DIR/listing with random names."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from ..common.files import read_limited, write_file
from ..projects import decks


def evidence_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "listing"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_evidence(stream, original_name: str | None, uploader_id: int) -> tuple[str, str]:
    """(stored file name, cleaned original name); raises UploadRejected for a file too large or not a readable
    PDF, and StorageFull when the disk has no room."""
    data = read_limited(stream, current_app.config["MAX_DECK_BYTES"])
    decks.count_pages_in_turn(data, uploader_id)
    return write_evidence(data), decks.clean_original_name(original_name)


def write_evidence(data: bytes) -> str:
    """Store an already checked (or self-generated) PDF under a random name; returns that name."""
    file_name = f"{secrets.token_hex(16)}.pdf"
    write_file(evidence_dir() / file_name, data)
    return file_name


def evidence_path(file_name: str) -> Path:
    return evidence_dir() / file_name


def remove_evidence(file_name: str | None) -> None:
    if file_name:
        evidence_path(file_name).unlink(missing_ok=True)
