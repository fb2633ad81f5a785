"""Notifications' periodic job: send the emails waiting in the outbox."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .mailer import drain_outbox


@periodic_job(
    id="outbox_drain", trigger="cron", minute="*",
    description=_l("发送待发邮件"), schedule_label=_l("每分钟"),
    labels={"sent": _l("已发送"), "failed": _l("发送失败")},
)
def outbox_drain(now: datetime) -> dict:
    return drain_outbox(now)
