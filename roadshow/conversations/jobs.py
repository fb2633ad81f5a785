"""Conversations' periodic job: the email digest of unread messages."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .services import send_digests


@periodic_job(
    id="conversation_digest", trigger="cron", minute="*/10", run_at_start=True,
    description=_l("对接消息未读摘要邮件"), schedule_label=_l("每 10 分钟，启动时补跑一次"),
    labels={"sent": _l("已发送摘要")},
)
def conversation_digest(now: datetime) -> dict:
    return send_digests(now)
