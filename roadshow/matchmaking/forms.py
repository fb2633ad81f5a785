"""Matchmaking forms: a new day, inviting a startup, both sides' marks, moving a meeting."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..common.forms import BoundedDateTimeLocalField, MultiCheckboxField, db_int, optional_int
from .models import MAX_SLOTS, Mark


class DayForm(FlaskForm):
    title = StringField(_l("名称"), validators=[InputRequired(_l("请填写名称。")), Length(max=120)],
                        render_kw={"placeholder": _l("例如：光电子信息专场 · 投融资对接会")})
    session_id = SelectField(_l("所属路演"), coerce=optional_int, validate_choice=False,
                             description=_l("选择路演后，该场路演的项目自动参加；也可以不选，办独立的对接会。"))
    starts_at = BoundedDateTimeLocalField(_l("第一个时段开始（北京时间）"), format="%Y-%m-%dT%H:%M",
                                          validators=[InputRequired(_l("请填写开始时间。"))])
    slot_minutes = IntegerField(_l("每个时段（分钟）"), default=15,
                                validators=[InputRequired(_l("请填写时段长度。")), NumberRange(5, 120)])
    slot_count = IntegerField(_l("时段数"), default=12,
                              validators=[InputRequired(_l("请填写时段数。")), NumberRange(1, MAX_SLOTS)])
    rooms = IntegerField(_l("共用洽谈室数量"), validators=[Optional(), NumberRange(1, 200)],
                         description=_l("留空：每个项目一张桌子，投资人轮转；填数字：项目与投资人在共用洽谈室见面。"))
    deadline = BoundedDateTimeLocalField(_l("意向截止（北京时间）"), format="%Y-%m-%dT%H:%M",
                                         validators=[InputRequired(_l("请填写意向截止时间。"))])
    location = StringField(_l("地点"), validators=[Length(max=120)])


class AddStartupForm(FlaskForm):
    project_id = SelectField(_l("项目"), coerce=db_int, validate_choice=False,
                             validators=[InputRequired(_l("请选择项目。"))])


MARK_CHOICES = [SelectChoice("", _l("未标记")), *(SelectChoice(m.value, m.label) for m in Mark)]


def marks_form(counterparts, slot_labels: list[str], marks: dict, unavailable: set[int]):
    """One select per party on the other side (name `mark-<party id>`), and the unavailable slots;
    filled with what is stored, or with what was posted."""

    class MarksForm(FlaskForm):
        unavailable = MultiCheckboxField(_l("我不可约的时段"), coerce=db_int,
                                         choices=[SelectChoice(n, label) for n, label in enumerate(slot_labels)])

    for party in counterparts:
        setattr(MarksForm, f"mark-{party.id}", SelectField(party.name, choices=MARK_CHOICES, default=""))
    data = {f"mark-{pid}": mark.value for pid, mark in marks.items()}
    form = MarksForm(data={**data, "unavailable": sorted(unavailable)})
    form.mark_fields = [(party, form[f"mark-{party.id}"]) for party in counterparts]
    return form


class MoveForm(FlaskForm):
    slot = SelectField(_l("移到时段"), coerce=db_int, validate_choice=False, validators=[InputRequired()])
    room = SelectField(_l("洽谈室"), coerce=optional_int, validate_choice=False)
