"""Matching's periodic jobs (discovered by roadshow.jobs.registry)."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .express import deliver_for_projects, send_daily_digests
from .services import refresh_stale


@periodic_job(
    id="match_refresh", trigger="cron", minute="*/5", run_at_start=True,
    description=_l("重新计算变化的匹配，并推送投资直通车"), schedule_label=_l("每 5 分钟，启动时补跑一次"),
    labels={"full": _l("全量重算"), "projects": _l("重算项目"), "funds": _l("重算基金"),
            "express": _l("直通车推送")},
)
def match_refresh(now: datetime) -> dict:
    refresh = refresh_stale()
    delivered = deliver_for_projects(refresh.projects)
    return {"full": int(refresh.full), "projects": len(refresh.projects), "funds": len(refresh.funds),
            "express": delivered}


@periodic_job(
    id="express_digest", trigger="cron", hour=8, minute=30,
    description=_l("投资直通车每日汇总"), schedule_label=_l("每天 08:30"), labels={"digests": _l("汇总通知")},
)
def express_digest(now: datetime) -> dict:
    return {"digests": send_daily_digests()}
