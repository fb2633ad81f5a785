"""Accounts' periodic job (discovered by roadshow.jobs.registry)."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .services import purge_unconfirmed


@periodic_job(
    id="unconfirmed_purge", trigger="cron", hour=3, minute=30,
    description=_l("删除过期未确认的注册"), schedule_label=_l("每天 03:30"),
    labels={"deleted": _l("已删除")},
)
def unconfirmed_purge(now: datetime) -> dict:
    return purge_unconfirmed(now)
