"""Files the platform stores under UPLOAD_DIR: written whole or not at all, and a full disk said in words."""
from __future__ import annotations

import errno
import logging
import os
import secrets
import unicodedata
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from ..i18n.formatting import format_file_size
from .errors import RuleViolation

log = logging.getLogger(__name__)
# The disk is full, the owner's quota is used up, or the process may not write files that large (RLIMIT_FSIZE).
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class StorageFull(RuleViolation):
    """Nothing was stored: the disk for uploads has no room. Not the user's mistake, and it may pass."""

    status = 507  # Insufficient Storage


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: into a hidden draft beside it, flushed to the disk, then
    renamed into place, so that no reader (and no row) ever meets a half-written file. When the disk is full
    the draft is removed and StorageFull raised; any other failure removes the draft and is raised as it is."""
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(draft, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # tmpfs and quotas refuse late, at flush: the error must come here
        os.replace(draft, path)
    except OSError as exc:
        draft.unlink(missing_ok=True)
        if exc.errno in NO_SPACE:
            log.error("no room to store %s (%d bytes): %s", path, len(data), exc)
            raise StorageFull(_("服务器存储空间已满，文件没有保存。请稍后再试，或告知平台管理员。")) from exc
        raise


class UploadRejected(ValueError):
    """An uploaded file that is not acceptable (too large, empty, of the wrong kind); the message is shown."""

    status = 400


def read_limited(stream, limit: int) -> bytes:
    """Read at most limit bytes of an upload; one byte more means the file is too large."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(_("文件超过 %(limit)s 上限，请压缩后再上传。", limit=format_file_size(limit)))
    return data


def clean_file_name(name: str | None, suffix: str, default: str) -> str:
    """The uploader's file name, fit for a Content-Disposition header: no path, no control characters, at most
    200 characters, ending in `suffix` (".pdf"); `default` when nothing is left."""
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name:
        return default
    stem = name[:-len(suffix)] if name.lower().endswith(suffix) else name
    return stem[:200 - len(suffix)] + suffix
