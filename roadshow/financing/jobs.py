"""The financing domain's periodic job: ask companies what they raised after their roadshows."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .services import ask_due_checkins


@periodic_job(
    id="financing_checkins", trigger="cron", hour=10, minute=0,
    description=_l("路演后 3、6、12 个月询问融资进展"), schedule_label=_l("每天 10:00"),
    labels={"asked": _l("已询问"), "opted_out": _l("已退订")},
)
def financing_checkins(now: datetime) -> dict:
    return ask_due_checkins(now)
