"""The every-day calendar's periodic jobs (discovered by roadshow.jobs.registry)."""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..jobs.registry import periodic_job
from .horizon import fill_horizon
from .lifecycle import advance_sessions
from .reminders import send_reminders


@periodic_job(
    id="horizon_fill", trigger="cron", hour=2, minute=0, run_at_start=True,
    description=_l("生成未来场次并排入项目"), schedule_label=_l("每天 02:00，启动时补跑一次"),
    labels={"created": _l("新建场次"), "adopted": _l("关联已有场次"), "clashes": _l("场地冲突"),
            "placed": _l("排入项目"), "uncovered_days": _l("无路演的工作日")},
)
def horizon_fill(now: datetime) -> dict:
    return fill_horizon(now)


@periodic_job(
    # at start too: reminders that fell due while no scheduler ran go out at once (an H-1 reminder cannot wait)
    id="reminders", trigger="cron", minute="*/5", run_at_start=True,
    description=_l("路演提醒（提前一天、提前一小时）"), schedule_label=_l("每 5 分钟，启动时补跑一次"),
    labels={"D-1": _l("提前一天提醒"), "H-1": _l("提前一小时提醒")},
)
def reminders(now: datetime) -> dict:
    return send_reminders(now)


@periodic_job(
    id="session_lifecycle", trigger="cron", minute="*",
    description=_l("路演开始与结束状态更新"), schedule_label=_l("每分钟"),
    labels={"live": _l("开始直播"), "ended": _l("已结束"), "presented": _l("项目已路演")},
)
def session_lifecycle(now: datetime) -> dict:
    return advance_sessions(now)
