"""Official lists: a 50,000-row innovation-points XLSX, previewed and applied, then imported again.

On the shared bench database (the demo data set), 50,000 companies are added with valid credit
codes; the file lists every one of them. `import_50k` is the admin's whole path after the upload:
read and check the file (openpyxl, read-only), plan the changes, write 50,000 verified facts in one
transaction, audit it. `reimport_50k` is the same file again: nothing changes, nothing is written.
"""
from __future__ import annotations

import time

import sqlalchemy as sa

from .world import shared_world

ROWS = 50_000
TARGET_SECONDS = 30.0


def run() -> list[dict]:
    from roadshow.accounts.models import Role, User, UserRole
    from roadshow.common.choices import IndustryChain, Stage
    from roadshow.extensions import db
    from roadshow.official.models import ListKind
    from roadshow.official.services import apply_import, plan_import, stash
    from roadshow.projects.credit_code import ALPHABET, check_character
    from roadshow.projects.models import Company
    from roadshow_demo.official_lists import HEADERS, list_bytes

    world = shared_world()
    with world.app.app_context():
        codes = []
        for n in range(ROWS):
            body = "91420100" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(4)) + "BENCH"
            codes.append(body + check_character(body))
        db.session.execute(sa.insert(Company), [
            {"name": f"基准测试企业{n}", "credit_code": code, "industry_chain": IndustryChain.AI, "stage": Stage.A,
             "city": "武汉", "founded_year": 2020, "headcount": 10, "patents_count": 1, "innovation_score": 50}
            for n, code in enumerate(codes)
        ])
        admin = db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.ADMIN).limit(1)).one()
        db.session.commit()
        data = list_bytes(HEADERS["innovation"],
                          [(code, f"基准测试企业{n}", 40 + n % 60, "B", 2025) for n, code in enumerate(codes)])

        def import_once() -> tuple[float, int]:
            started = time.perf_counter()
            plan = plan_import(ListKind.INNOVATION, "bench-50k.xlsx", data)
            batch = apply_import(ListKind.INNOVATION, "基准测试名单", "bench-50k.xlsx", stash(plan), admin)
            db.session.commit()
            return time.perf_counter() - started, batch.changed if plan.applicable else -1

        first, changed = import_once()
        again, changed_again = import_once()
    mb = len(data) / 1024 / 1024
    return [
        {"name": "import_50k", "value": first, "unit": "s", "target": TARGET_SECONDS,
         "note": f"{ROWS} rows, {mb:.1f} MB XLSX: preview + apply, {changed} facts written"},
        {"name": "reimport_50k", "value": again, "unit": "s", "target": TARGET_SECONDS,
         "note": f"the same file again: {changed_again} changes (must be 0)"},
    ]
