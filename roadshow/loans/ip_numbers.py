"""Registration numbers of Chinese IP rights, checked by their format (and a patent's check digit).

- Patents (CNIPA, since 2003): ZL + year (4) + type (1) + serial (7) + "." + check, e.g. ZL202310123456.7.
  The type digit names the kind (1 / 8 invention, 2 / 9 utility model, 3 design); the check character is
  the 12 digits weighted 2,3,4,5,6,7,8,9,2,3,4,5, summed, modulo 11 (10 is written X).
- Software copyrights: 2023SR0123456.
- Trademarks: the registration number, 1 to 9 digits.
Numbers are stored normalised (upper case, without spaces and the "ZL" prefix), so the same right typed
twice in different ways is found as a duplicate.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from ..common.errors import FieldRuleViolation
from .models import IpKind

PATENT = re.compile(r"^(\d{4})([12389])(\d{7})\.([0-9X])$")
SOFTWARE = re.compile(r"^\d{4}SR\d{7}$")
TRADEMARK = re.compile(r"^\d{1,9}$")
PATENT_TYPES = {IpKind.INVENTION_PATENT: "18", IpKind.UTILITY_MODEL: "29", IpKind.DESIGN_PATENT: "3"}
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_check_character(twelve_digits: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(twelve_digits, WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_number(kind: IpKind, raw: str) -> str:
    """The stored form of a registration number, or FieldRuleViolation("number") saying what is wrong."""
    text = re.sub(r"\s+", "", raw or "").upper().replace("．", ".")
    if kind in PATENT_TYPES:
        text = text.removeprefix("ZL").removeprefix("CN")
        match = PATENT.match(text)
        if match is None:
            raise FieldRuleViolation("number", _("专利号格式应为 ZL + 12 位数字 + “.” + 校验位，如 ZL202310123456.7。"))
        if match.group(2) not in PATENT_TYPES[kind]:
            raise FieldRuleViolation("number", _("专利号第 5 位表示专利类型，与所选的“%(kind)s”不符。", kind=kind.label))
        digits = match.group(1) + match.group(2) + match.group(3)
        if patent_check_character(digits) != match.group(4):
            raise FieldRuleViolation("number", _("专利号的校验位不正确，请核对。"))
        return f"{digits}.{match.group(4)}"
    if kind is IpKind.SOFTWARE_COPYRIGHT:
        if not SOFTWARE.match(text):
            raise FieldRuleViolation("number", _("软件著作权登记号格式应为 年份 + SR + 7 位数字，如 2023SR0123456。"))
        return text
    if not TRADEMARK.match(text):
        raise FieldRuleViolation("number", _("商标注册号应为 1 到 9 位数字。"))
    return text


def display_number(kind: IpKind, number: str) -> str:
    return f"ZL{number}" if kind in PATENT_TYPES else number
