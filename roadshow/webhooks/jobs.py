"""Webhooks' periodic job: send the deliveries that are due."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .services import deliver_due


@periodic_job(
    id="webhook_deliveries", trigger="cron", minute="*",
    description=_l("投递 Webhook 事件"), schedule_label=_l("每分钟"),
    labels={"delivered": _l("已送达"), "failed": _l("失败待重试"), "gave_up": _l("已放弃")},
)
def webhook_deliveries(now: datetime) -> dict:
    return deliver_due(now)
