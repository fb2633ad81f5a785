"""Forms: session templates (admin) and the public calendar's filters."""
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField, TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..common.choices import IndustryChain
from ..common.forms import BoundedDateField, MultiCheckboxField, english_version, optional_int, optional_text
from ..i18n.formatting import lazy_weekday_name
from ..common.timeutil import to_local, utcnow
from .models import HolidayPolicy, RuleKind

WEEKDAY_CHOICES = [SelectChoice(str(n), lazy_weekday_name(n)) for n in range(7)]
MONTH_WEEK_CHOICES = [SelectChoice(str(n), _l("第%(n)d个", n=n)) for n in range(1, 5)] + [
    SelectChoice("-1", _l("最后一个"))
]


class TemplateForm(FlaskForm):
    name = StringField(_l("模板名称"), validators=[DataRequired(_l("请填写模板名称。")), Length(max=80)],
                       description=_l("内部名称，不在公开页面显示，如“每日路演（长江路演厅）”。"))
    title_pattern = StringField(
        _l("场次标题"), validators=[DataRequired(_l("请填写场次标题。")), Length(max=120)],
        description=_l("可用占位符：{chain} 产业链、{series} 系列、{month} 月份、{date} 日期、{weekday} 星期。"),
    )
    series_id = SelectField(_l("所属系列（选填）"), coerce=optional_int)
    venue_id = SelectField(_l("场地"), coerce=optional_int, validators=[InputRequired(_l("请选择场地。"))])
    host_id = SelectField(_l("主持人（选填）"), coerce=optional_int)
    rule = SelectField(_l("重复规则"), choices=RuleKind.choices(), default=RuleKind.WORKING_DAYS.value)
    weekdays = MultiCheckboxField(_l("每周哪几天"), choices=WEEKDAY_CHOICES, description=_l("重复规则为“每周固定几天”时填写。"))
    month_week = SelectField(_l("每月第几个"), choices=MONTH_WEEK_CHOICES, coerce=optional_int, default="1")
    month_weekday = SelectField(_l("星期几"), choices=WEEKDAY_CHOICES, coerce=optional_int, default="3")
    on_holiday = SelectField(_l("遇法定节假日"), choices=HolidayPolicy.choices(), default=HolidayPolicy.SKIP.value,
                             description=_l("“每个工作日”规则自动避开节假日、包含调休上班日。"))
    start_time = TimeField(_l("开始时间"), validators=[InputRequired(_l("请填写开始时间。"))], default=time(14, 0))
    end_time = TimeField(_l("结束时间"), validators=[InputRequired(_l("请填写结束时间。"))], default=time(16, 0))
    capacity = IntegerField(_l("投资人席位"), default=100, validators=[
        InputRequired(_l("请填写席位数。")), NumberRange(min=1, max=10000, message=_l("席位数须在 1–10000 之间。"))])
    slots_count = IntegerField(_l("每场项目数"), default=5, validators=[
        InputRequired(_l("请填写每场项目数。")), NumberRange(min=1, max=20, message=_l("每场项目数须在 1–20 之间。"))])
    pitch_minutes = IntegerField(_l("路演时长（分钟）"), default=10, validators=[
        InputRequired(_l("请填写路演时长。")), NumberRange(min=1, max=120, message=_l("须在 1–120 分钟之间。"))])
    qa_minutes = IntegerField(_l("问答时长（分钟）"), default=10, validators=[
        InputRequired(_l("请填写问答时长。")), NumberRange(min=0, max=120, message=_l("须在 0–120 分钟之间。"))])
    chain_rotation = MultiCheckboxField(
        _l("产业链轮换（选填）"), choices=IndustryChain.choices(),
        description=_l("按月规则每月轮换一条，其他规则每场轮换一条，按所列顺序、自开始日期起算。"))
    valid_from = BoundedDateField(_l("开始日期"), validators=[InputRequired(_l("请填写开始日期。"))],
                           default=lambda: to_local(utcnow()).date())
    valid_until = BoundedDateField(_l("截止日期（选填）"), validators=[Optional()])
    description = TextAreaField(_l("场次介绍"), validators=[Length(max=5000)], render_kw={"rows": 3})
    title_pattern_en = english_version(_l("英文场次标题（选填）"), 160)
    description_en = english_version(_l("英文场次介绍（选填）"), 5000, rows=2)
    is_active = BooleanField(_l("启用（每晚自动生成未来场次）"), default=True)

    def set_choices(self, series, venues, hosts) -> None:
        none = SelectChoice("", _l("— 不指定 —"))
        self.series_id.choices = [none, *(SelectChoice(s.id, s.name) for s in series)]
        self.venue_id.choices = [SelectChoice("", _l("— 请选择场地 —")), *(SelectChoice(v.id, v.name) for v in venues)]
        self.host_id.choices = [none, *(SelectChoice(u.id, _l("%(a)s（%(b)s）", a=u.name, b=u.email)) for u in hosts)]

    def service_fields(self) -> dict:
        rule = RuleKind(self.rule.data)
        return {
            "name": self.name.data.strip(),
            "title_pattern": self.title_pattern.data.strip(),
            "series_id": self.series_id.data,
            "venue_id": self.venue_id.data,
            "host_id": self.host_id.data,
            "rule": rule,
            "weekdays": sorted(int(d) for d in self.weekdays.data or ()) if rule == RuleKind.WEEKLY else [],
            "month_week": self.month_week.data if rule == RuleKind.MONTHLY_NTH else None,
            "month_weekday": self.month_weekday.data if rule == RuleKind.MONTHLY_NTH else None,
            "on_holiday": HolidayPolicy(self.on_holiday.data),
            "start_time": self.start_time.data,
            "end_time": self.end_time.data,
            "capacity": self.capacity.data,
            "slots_count": self.slots_count.data,
            "pitch_minutes": self.pitch_minutes.data,
            "qa_minutes": self.qa_minutes.data,
            "chain_rotation": list(self.chain_rotation.data or []),
            "valid_from": self.valid_from.data,
            "valid_until": self.valid_until.data,
            "description": (self.description.data or "").strip(),
            "title_pattern_en": optional_text(self.title_pattern_en),
            "description_en": optional_text(self.description_en),
            "is_active": bool(self.is_active.data),
        }

    @classmethod
    def data_of(cls, template) -> dict:
        """Form data for editing a saved template."""
        return {
            "name": template.name, "title_pattern": template.title_pattern, "series_id": template.series_id,
            "venue_id": template.venue_id, "host_id": template.host_id, "rule": template.rule.value,
            "weekdays": [str(d) for d in template.weekdays or ()], "month_week": template.month_week,
            "month_weekday": template.month_weekday, "on_holiday": template.on_holiday.value,
            "start_time": template.start_time, "end_time": template.end_time, "capacity": template.capacity,
            "slots_count": template.slots_count, "pitch_minutes": template.pitch_minutes,
            "qa_minutes": template.qa_minutes, "chain_rotation": list(template.chain_rotation or ()),
            "valid_from": template.valid_from, "valid_until": template.valid_until,
            "description": template.description, "is_active": template.is_active,
            "title_pattern_en": template.title_pattern_en, "description_en": template.description_en,
        }
