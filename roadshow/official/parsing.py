"""Read an official list (XLSX or CSV) into rows, refusing files that are not what they claim to be.

Bounds come first and are cheap: the upload's size, then, for XLSX, the zip directory's declared
uncompressed sizes (zipfile never inflates a member past its declared size, so bounding the
declaration bounds the work) before openpyxl opens anything. Then the header must name every
required column of the list's kind; each row is parsed on its own, and a bad row is reported with
its line number and reason instead of stopping the file.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from ..common.choices import SrdiLevel
from ..common.errors import RuleViolation
from ..projects import credit_code
from .models import ListKind

XLSX_MAGIC = b"PK\x03\x04"
MAX_ZIP_MEMBERS = 200


class ListRefused(RuleViolation):
    """The file as a whole cannot be read as this kind of list; nothing is written."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unzipped_bytes: int
    max_rows: int


# ----------------------------------------------------------------------------- cell parsers
# Each takes a cell (str, number, date or None) and returns the stored value or raises ValueError(reason).

def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a spreadsheet's 2025 comes back as 2025.0
    return str(cell).strip()


def _required(cell: Any) -> str:
    text = _text(cell)
    if not text:
        raise ValueError(_("为空"))
    return text


def parse_credit_code(cell: Any) -> str:
    code = credit_code.normalize(_required(cell))
    if not credit_code.is_valid(code):
        raise ValueError(_("统一社会信用代码 %(code)s 无效（校验位不符或格式错误）", code=code[:30]))
    return code


_REGISTRATION = re.compile(r"^[A-Z0-9]{5,20}$")


def parse_registration(cell: Any) -> str:
    code = _required(cell).upper()
    if not _REGISTRATION.match(code):
        raise ValueError(_("登记/备案编号 %(code)s 格式错误", code=code[:30]))
    return code


def parse_score(cell: Any) -> int:
    try:
        value = Decimal(_required(cell))
    except InvalidOperation:
        raise ValueError(_("积分不是数字")) from None
    if value != value.to_integral_value() or not 0 <= value <= 100:
        raise ValueError(_("积分应为 0–100 的整数"))
    return int(value)


def parse_year(cell: Any) -> int:
    text = _required(cell)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValueError(_("年度 %(year)s 无效", year=text[:10]))
    return int(text)


def parse_short_text(cell: Any) -> str:
    text = _required(cell)
    if len(text) > 40:
        raise ValueError(_("内容过长"))
    return text


def parse_date(cell: Any) -> str:
    """A date cell, or text like 2027-12-31 / 2027/12/31 / 20271231; stored as ISO text."""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = _required(cell).replace("/", "-").replace(".", "-")
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1990 <= day.year <= 2100:
            return day.isoformat()
    raise ValueError(_("日期 %(text)s 无法识别", text=text[:20]))


SRDI_WORDS = {
    SrdiLevel.LITTLE_GIANT: ("小巨人", "国家级", "little_giant", "little giant"),
    SrdiLevel.PROVINCIAL: ("省级", "专精特新中小企业", "provincial"),
    SrdiLevel.INNOVATIVE_SME: ("创新型中小企业", "innovative_sme", "innovative sme"),
}


def parse_srdi_level(cell: Any) -> str:
    text = _required(cell).lower()
    for level, words in SRDI_WORDS.items():  # most specific first: 国家级…小巨人 before 省级
        if any(word in text for word in words):
            return level.value
    raise ValueError(_("认定级别 %(text)s 无法识别", text=text[:30]))


# ----------------------------------------------------------------------------- the lists' columns

@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]  # header texts accepted, compared without spaces and case
    parse: Callable[[Any], Any]
    required: bool = True


CODE = Column("credit_code", ("统一社会信用代码", "社会信用代码", "信用代码", "credit_code", "unified social credit code"),
              parse_credit_code)
NAME = Column("name", ("企业名称", "单位名称", "名称", "name", "company"), _text, required=False)

COLUMNS: dict[ListKind, tuple[Column, ...]] = {
    ListKind.INNOVATION: (
        CODE, NAME,
        Column("score", ("创新积分", "积分", "得分", "score"), parse_score),
        Column("grade", ("等级", "评价等级", "grade"), parse_short_text),
        Column("year", ("年度", "评价年度", "year"), parse_year),
    ),
    ListKind.SRDI: (
        CODE, NAME,
        Column("level", ("认定级别", "级别", "层级", "level"), parse_srdi_level),
        Column("batch", ("批次", "认定批次", "batch"), parse_short_text),
    ),
    ListKind.HIGH_TECH: (
        CODE, NAME,
        Column("certificate", ("证书编号", "高企证书编号", "certificate", "certificate number"), parse_registration),
        Column("valid_until", ("有效期至", "证书有效期至", "valid_until", "valid until"), parse_date),
    ),
    ListKind.FUND_MANAGER: (
        Column("registration_number", ("登记编号", "管理人登记编号", "registration_number", "registration number"),
               parse_registration),
        Column("name", ("管理人名称", "机构名称", "名称", "name", "manager"), _text, required=False),
        Column("registered_on", ("登记日期", "registered_on", "registered on"), parse_date),
    ),
    ListKind.FUND: (
        Column("registration_code", ("备案编码", "基金编号", "registration_code", "registration code"),
               parse_registration),
        Column("name", ("基金名称", "名称", "name", "fund"), _text, required=False),
        Column("manager", ("基金管理人", "管理人名称", "manager"), _text, required=False),
        Column("registered_on", ("备案日期", "registered_on", "registered on"), parse_date),
    ),
}
# The first column of each kind is the key rows are matched by; `name` is shown, never stored.
UNSTORED = ("name",)


def key_column(kind: ListKind) -> Column:
    return COLUMNS[kind][0]


def _header_key(text: Any) -> str:
    return re.sub(r"\s+", "", _text(text)).lower()


# ----------------------------------------------------------------------------- rows

@dataclass(frozen=True)
class Row:
    line: int
    key: str
    name: str
    value: dict  # the stored columns, JSON-ready


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class ParsedList:
    kind: ListKind
    rows: list[Row]
    invalid: list[BadRow]

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.invalid)


def _column_positions(kind: ListKind, header: tuple) -> dict[str, int]:
    found = {_header_key(text): i for i, text in enumerate(header) if _header_key(text)}
    positions, missing = {}, []
    for column in COLUMNS[kind]:
        index = next((found[_header_key(h)] for h in column.headers if _header_key(h) in found), None)
        if index is not None:
            positions[column.key] = index
        elif column.required:
            missing.append(column.headers[0])
    if missing:
        raise ListRefused(_("表头缺少这些列：%(columns)s（这份文件是“%(kind)s”吗？）",
                            columns="、".join(missing), kind=kind.label))
    return positions


def parse_rows(kind: ListKind, table: Iterator[tuple], max_rows: int) -> ParsedList:
    """The header is the first non-blank row; every later non-blank row is one entry."""
    lines = ((n, row) for n, row in enumerate(table, start=1) if any(_text(c) for c in row))
    first = next(lines, None)
    if first is None:
        raise ListRefused(_("文件是空的。"))
    positions = _column_positions(kind, first[1])
    key = key_column(kind).key
    rows, invalid, seen = [], [], {}
    for line, cells in lines:
        if len(rows) + len(invalid) >= max_rows:
            raise ListRefused(_("行数超过上限 %(limit)d 行，请分批导入。", limit=max_rows))
        values, reasons = {}, []
        for column in COLUMNS[kind]:
            if column.key not in positions:
                continue
            index = positions[column.key]
            cell = cells[index] if index < len(cells) else None
            try:
                values[column.key] = column.parse(cell)
            except ValueError as exc:
                reasons.append(f"{column.headers[0]}：{exc}")
        if not reasons and values[key] in seen:
            reasons.append(_("与第 %(line)d 行重复", line=seen[values[key]]))
        if reasons:
            invalid.append(BadRow(line, "；".join(reasons)))
            continue
        seen[values[key]] = line
        stored = {k: v for k, v in values.items() if k != key and k not in UNSTORED}
        rows.append(Row(line, values[key], values.get("name", ""), stored))
    return ParsedList(kind, rows, invalid)


# ----------------------------------------------------------------------------- files

def _xlsx_table(data: bytes, limits: Limits) -> Iterator[tuple]:
    import openpyxl  # imported here: only admins importing lists need it loaded

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ListRefused(_("文件不是有效的 XLSX 工作簿。")) from None
    declared = sum(member.file_size for member in members)
    if len(members) > MAX_ZIP_MEMBERS or declared > limits.max_unzipped_bytes:
        # A zip bomb dressed as a workbook: refused before anything is inflated.
        raise ListRefused(_("工作簿解压后过大（超过 %(limit)d MB），已拒绝。",
                            limit=limits.max_unzipped_bytes // (1024 * 1024)))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        return list(sheet.iter_rows(values_only=True))
    except ListRefused:
        raise
    except Exception:  # openpyxl reports a broken workbook many ways (KeyError, XML errors, zip errors)
        raise ListRefused(_("文件不是有效的 XLSX 工作簿。")) from None


def _csv_table(data: bytes) -> Iterator[tuple]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030 more often than not
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ListRefused(_("CSV 文件的编码无法识别（请使用 UTF-8 或 GB18030）。"))
    if "\x00" in text:
        raise ListRefused(_("文件不是有效的 CSV 表格。"))
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise ListRefused(_("文件不是有效的 CSV 表格。")) from None


def read_list(kind: ListKind, file_name: str, data: bytes, limits: Limits) -> ParsedList:
    if len(data) > limits.max_bytes:
        raise ListRefused(_("文件太大（上限 %(limit)d MB）。", limit=limits.max_bytes // (1024 * 1024)))
    lowered = file_name.lower()
    if lowered.endswith(".xlsx") or data.startswith(XLSX_MAGIC):
        if not data.startswith(XLSX_MAGIC):
            raise ListRefused(_("文件不是有效的 XLSX 工作簿。"))
        table = _xlsx_table(data, limits)
    elif lowered.endswith(".csv"):
        table = _csv_table(data)
    else:
        raise ListRefused(_("只接受 XLSX 或 CSV 文件。"))
    return parse_rows(kind, iter(table), limits.max_rows)
