"""Template rules: saving a template (refused when it would never produce a roadshow), and staffing alerts."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..common.errors import FieldRuleViolation, RuleViolation
from ..extensions import db
from ..i18n.formatting import format_date
from ..roadshows.models import RoadshowSession, Series, SessionStatus, Slot, Venue
from ..common.timeutil import to_local
from . import rules
from .models import RuleKind, SessionTemplate, TemplateOccurrence
from .workdays import working_days

LOOKAHEAD_DAYS = 365  # a template must yield at least one date this far ahead
ALERT_DAYS = 3  # D-3: a working day this close without any project is flagged to admins


def all_templates() -> list[SessionTemplate]:
    return list(db.session.scalars(
        sa.select(SessionTemplate).order_by(SessionTemplate.is_active.desc(), SessionTemplate.name)
    ))


def save_template(template: SessionTemplate | None, today: date, **fields) -> SessionTemplate:
    """Create or update a template; refuses one that is inconsistent or yields no date in the next year."""
    template = template or SessionTemplate()
    with db.session.no_autoflush:  # nothing half-checked reaches the database
        for name, value in fields.items():
            setattr(template, name, value)
        template.series = db.session.get(Series, template.series_id) if template.series_id else None
        template.venue = db.session.get(Venue, template.venue_id) if template.venue_id else None
        if template.venue is None:
            raise FieldRuleViolation("venue_id", _("请选择场地。"))
        _check(template, today)
        name_taken = db.session.scalar(sa.select(SessionTemplate.id).where(
            SessionTemplate.name == template.name, SessionTemplate.id != template.id))
        if name_taken:
            raise FieldRuleViolation("name", _("已有同名模板。"))
    db.session.add(template)
    db.session.flush()
    return template


def _check(template: SessionTemplate, today: date) -> None:
    if template.end_time <= template.start_time:
        raise FieldRuleViolation("end_time", _("结束时间必须晚于开始时间。"))
    if template.capacity > template.venue.capacity:
        raise FieldRuleViolation("capacity", _("席位数不能超过场地容纳人数 %(n)d。", n=template.venue.capacity))
    if template.rule == RuleKind.WEEKLY and not template.weekdays:
        raise FieldRuleViolation("weekdays", _("请至少选择一天。"))
    if template.rule == RuleKind.MONTHLY_NTH and (template.month_week is None or template.month_weekday is None):
        raise FieldRuleViolation("month_week", _("请选择每月第几个星期几。"))
    if template.valid_until is not None and template.valid_until < template.valid_from:
        raise FieldRuleViolation("valid_until", _("截止日期不能早于开始日期。"))
    minutes = (datetime.combine(today, template.end_time) - datetime.combine(today, template.start_time)).seconds // 60
    needed = template.slots_count * (template.pitch_minutes + template.qa_minutes)
    if needed > minutes:
        raise FieldRuleViolation("slots_count", _(
            "%(n)d 个项目各路演 %(p)d 分钟、问答 %(q)d 分钟共需 %(need)d 分钟，超过了场次时长 %(have)d 分钟。",
            n=template.slots_count, p=template.pitch_minutes, q=template.qa_minutes, need=needed, have=minutes))
    _check_title(template)
    last = today + timedelta(days=LOOKAHEAD_DAYS)
    if not rules.occurrences(template, today, last):
        raise RuleViolation(_(
            "按这条规则，%(first)s 至 %(last)s 之间不会产生任何路演日期。请检查重复规则、节假日处理方式和有效期。",
            first=format_date(today), last=format_date(last)))


def _check_title(template: SessionTemplate) -> None:
    try:
        used = rules.title_fields(template.title_pattern)
    except ValueError:
        used = None
    if used is None or used - set(rules.TITLE_FIELDS) or "" in used:
        raise FieldRuleViolation("title_pattern", _(
            "标题中的占位符只能是 %(fields)s（用大括号括起）。",
            fields="、".join("{%s}" % f for f in rules.TITLE_FIELDS)))
    if "chain" in used and not template.chain_rotation and not (template.series and template.series.industry_chain):
        raise FieldRuleViolation("title_pattern", _("标题使用了 {chain}，请选择轮换的产业链，或选择带产业链的系列。"))


def preview(template: SessionTemplate, today: date, count: int = 6) -> list[tuple[date, str]]:
    """The next dates with the title each would get: what the admin checks before saving."""
    days = rules.occurrences(template, today, today + timedelta(days=LOOKAHEAD_DAYS))[:count]
    return [(day, rules.render_title(template, day, rules.chain_for(template, day))) for day in days]


def delete_template(template: SessionTemplate) -> None:
    """Sessions already generated stay on the calendar; only future generation stops."""
    db.session.delete(template)
    db.session.flush()


def occurrence_counts() -> dict[int, int]:
    rows = db.session.execute(
        sa.select(TemplateOccurrence.template_id, sa.func.count(TemplateOccurrence.session_id))
        .group_by(TemplateOccurrence.template_id)
    )
    return dict(rows.all())


def days_without_projects(today: date, days: int = ALERT_DAYS) -> list[date]:
    """Working days from tomorrow to D+days on which no roadshow has a single project yet."""
    candidates = working_days(today + timedelta(days=1), today + timedelta(days=days))
    if not candidates:
        return []
    start, end = rules.utc_range(candidates[0], candidates[-1])
    starts = sa.select(RoadshowSession.starts_at).join(Slot).where(
        RoadshowSession.status != SessionStatus.CANCELLED,
        RoadshowSession.starts_at >= start,
        RoadshowSession.starts_at < end,
    )
    staffed = {to_local(start).date() for start in db.session.scalars(starts)}
    return [day for day in candidates if day not in staffed]
