"""Official list files as the center receives them: written as XLSX or CSV from rows, deterministically.

`list_bytes` builds a file (tests and the benchmark use it); `write_demo_lists` writes the demo's
files into roadshow_demo/data/, which the demo import reads (`flask seed-demo`).
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

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

    # Not write_only: a normal workbook records its dimension (A1:E50001), as Excel does; without it a
    # read-only reader must scan the whole sheet once just to learn its size.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return _stable_zip(out.getvalue())


# ----------------------------------------------------------------------------- the demo's lists

LISTS_DIR = Path(__file__).resolve().parent / "lists"
# (file, kind, the list's name as the department titles it)
DEMO_LISTS = (
    ("hubei-innovation-points-2025.xlsx", "innovation", "湖北省科技厅 2025 年度科技型企业创新积分评价结果"),
    ("srdi-2025.xlsx", "srdi", "湖北省经信厅 2025 年专精特新企业名单"),
    ("high-tech-2024.csv", "high_tech", "湖北省 2024 年认定高新技术企业名单"),
    ("amac-managers.xlsx", "fund_manager", "中国证券投资基金业协会 私募基金管理人公示"),
)
SRDI_WORDING = {"innovative_sme": "创新型中小企业", "provincial": "省级专精特新中小企业", "little_giant": "国家级专精特新“小巨人”"}


def demo_list_rows() -> dict[str, list[tuple]]:
    """Rows derived from the demo companies: most of them listed, a few figures differing from what they declared.

    Every third company is missing from the innovation list (its score stays self-declared); every
    fifth one's official score is a few points below its own, as real evaluations often are.
    """
    from .data import COMPANIES, INSTITUTIONS
    from .seed import credit_code_for

    innovation, srdi, high_tech = [], [], []
    for n, spec in enumerate(COMPANIES):
        code = credit_code_for(spec.key, spec.region)
        if n % 3 != 2:
            score = spec.score - 4 if n % 5 == 0 else spec.score
            innovation.append((code, spec.name, score, "A" if score >= 85 else "B" if score >= 70 else "C", 2025))
        if spec.srdi.value != "none":
            srdi.append((code, spec.name, SRDI_WORDING[spec.srdi.value], "2025 年第一批"))
        if spec.high_tech:
            high_tech.append((code, spec.name, f"GR2024420{1000 + n:05d}", f"{2027 - n % 2}-12-{10 + n % 18}"))
    managers = [(spec.registration_number, spec.name, f"{2015 + n % 8}-0{1 + n % 9}-15")
                for n, spec in enumerate(INSTITUTIONS) if spec.registration_number]
    return {"innovation": innovation, "srdi": srdi, "high_tech": high_tech, "fund_manager": managers}


def write_demo_lists() -> list[Path]:
    """(Re)write the demo's list files; the same bytes every time. `python -m roadshow_demo.official_lists`."""
    rows = demo_list_rows()
    LISTS_DIR.mkdir(exist_ok=True)
    written = []
    for file_name, kind, _source in DEMO_LISTS:
        path = LISTS_DIR / file_name
        path.write_bytes(list_bytes(HEADERS[kind], rows[kind], "csv" if file_name.endswith(".csv") else "xlsx"))
        written.append(path)
    return written


def seed_demo(today) -> None:
    """Import the demo's list files as the admin would; a list already imported changes nothing."""
    import sqlalchemy as sa

    from roadshow.accounts.models import User
    from roadshow.extensions import db
    from roadshow.official.models import ListKind, OfficialListImport
    from roadshow.official.services import apply_import, plan_import, stash
    from .seed import demo_email

    admin = db.session.scalars(sa.select(User).where(User.email == demo_email("admin"))).one()
    for file_name, kind, source in DEMO_LISTS:
        data = (LISTS_DIR / file_name).read_bytes()
        sha = stash(plan_import(ListKind(kind), file_name, data))
        if db.session.scalar(sa.select(OfficialListImport.id).where(OfficialListImport.file_sha256 == sha).limit(1)):
            continue  # imported by an earlier run
        apply_import(ListKind(kind), source, file_name, sha, admin)
    db.session.flush()


if __name__ == "__main__":
    for path in write_demo_lists():
        print(path)
