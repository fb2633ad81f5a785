"""Official list files as the center receives them: written as XLSX or CSV from rows, deterministically.

`list_bytes` builds a file (tests and the benchmark use it); `write_demo_lists` writes the demo's
files into roadshow_demo/data/, which the demo import reads (`flask seed-demo`).
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

HEADERS = {
    "innovation": ("统一社会信用代码", "企业名称", "创新积分", "等级", "年度"),
    "srdi": ("统一社会信用代码", "企业名称", "认定级别", "批次"),
    "high_tech": ("统一社会信用代码", "企业名称", "证书编号", "有效期至"),
    "fund_manager": ("登记编号", "管理人名称", "登记日期"),
    "fund": ("备案编码", "基金名称", "基金管理人", "备案日期"),
}
# Fixed zip timestamps: the same rows make the same bytes on every machine.
_EPOCH = (2025, 1, 1, 0, 0, 0)


def _stable_zip(data: bytes) -> bytes:
    """openpyxl stamps the current time into the workbook; rewrite the parts with fixed times."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
            target.writestr(zipfile.ZipInfo(info.filename, _EPOCH), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def list_bytes(header: Sequence[str], rows: Iterable[Sequence], fmt: str = "xlsx") -> bytes:
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        return text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return _stable_zip(out.getvalue())
