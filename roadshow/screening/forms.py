"""Screening forms: applying to pitch, the expert profile, assigning reviewers, the rubric, decisions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..common.choices import IndustryChain
from ..common.forms import BoundedDateField, MultiCheckboxField, optional_int
from ..common.timeutil import to_local
from .models import CRITERIA, SCORE_MAX, SCORE_MIN


class ApplicationForm(FlaskForm):
    project_id = SelectField(_l("申请项目"), coerce=optional_int, validators=[InputRequired(_l("请选择申请的项目。"))])
    target = SelectField(
        _l("申请参加"),
        validators=[InputRequired(_l("请选择路演系列或场次。"))],
        description=_l("选择路演系列由平台按入选先后排期；也可直接选择一场正在征集项目的路演。"),
    )
    preferred_from = BoundedDateField(_l("期望路演时间（起）"), validators=[Optional()])
    preferred_to = BoundedDateField(_l("期望路演时间（止）"), validators=[Optional()])
    note = TextAreaField(
        _l("申请说明"),
        validators=[Length(max=1000, message=_l("申请说明不超过 1000 字。"))],
        render_kw={"rows": 4, "placeholder": _l("如：希望对接的投资机构类型、本轮融资进展、需要平台协调的事项。")},
    )

    def set_choices(self, projects, series, sessions) -> None:
        self.project_id.choices = [SelectChoice("", _l("— 请选择项目 —"))] + [
            SelectChoice(p.id, _l("%(a)s（%(b)s）", a=p.title, b=p.status.label)) for p in projects
        ]
        series_group, session_group = str(_l("路演系列")), str(_l("征集项目中的场次"))
        self.target.choices = (
            [SelectChoice("", _l("— 请选择 —"))]
            + [SelectChoice(f"series:{s.id}", s.display_name, optgroup=series_group) for s in series]
            + [
                SelectChoice(f"session:{s.id}", f"{to_local(s.starts_at):%m-%d %H:%M} {s.display_title}", optgroup=session_group)
                for s in sessions
            ]
        )

    def target_ids(self) -> tuple[int | None, int | None]:
        """(series_id, session_id) from the chosen option."""
        kind, _sep, value = (self.target.data or "").partition(":")
        target_id = int(value) if value.isdigit() else None
        return (target_id, None) if kind == "series" else (None, target_id)


class ProfileForm(FlaskForm):
    title = StringField(_l("职称 / 职务"), validators=[Length(max=80)], render_kw={"placeholder": _l("如：教授、博士生导师")})
    organization = StringField(_l("工作单位"), validators=[Length(max=120)])
    chains = MultiCheckboxField(_l("擅长的产业链"), choices=IndustryChain.choices())
    bio = TextAreaField(_l("专业背景"), validators=[Length(max=2000)], render_kw={"rows": 4})

    def validate_chains(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("请至少选择一个擅长的产业链。"))

    def service_fields(self) -> dict:
        return {
            "title": self.title.data or "",
            "organization": self.organization.data or "",
            "chains": list(self.chains.data),
            "bio": self.bio.data or "",
        }


class AssignForm(FlaskForm):
    reviewer_id = SelectField(_l("评审专家"), coerce=optional_int)

    def set_candidates(self, candidates) -> None:
        options = [SelectChoice("", _l("— 选择评审专家 —"))]
        for c in candidates:
            facts = [c.profile.title if c.profile and c.profile.title else ""]
            facts.append(str(_l("产业链匹配")) if c.matches_chain else "")
            facts.append(str(_l("在审 %(n)d 份", n=c.open_reviews)))
            if c.conflict:
                facts.append(str(_l("利益冲突")))
            label = " · ".join([c.reviewer.name, *[f for f in facts if f]])
            options.append(SelectChoice(c.reviewer.id, label, render_kw={"disabled": True} if c.conflict else {}))
        self.reviewer_id.choices = options

    def validate_reviewer_id(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("请选择评审专家。"))


def _mark(label):
    # Not rated yet: ask for the score; a rating out of range (only a forged form sends one): say the range.
    missing = _l("请为%(criterion)s打分。", criterion=label)
    out_of_range = _l("“%(criterion)s”须为 %(low)d–%(high)d 分的整数。", criterion=label, low=SCORE_MIN, high=SCORE_MAX)
    return IntegerField(label, validators=[InputRequired(missing), NumberRange(SCORE_MIN, SCORE_MAX, out_of_range)])


class ScoreForm(FlaskForm):
    comment = TextAreaField(
        _l("评审意见"),
        validators=[Length(max=3000, message=_l("评审意见不超过 3000 字。"))],
        render_kw={"rows": 5, "placeholder": _l("项目亮点、主要风险与改进建议（仅平台可见）。")},
    )

    def marks(self) -> dict[str, int]:
        return {column: getattr(self, column).data for column, _label in CRITERIA}


for _column, _label in CRITERIA:
    setattr(ScoreForm, _column, _mark(_label))


class AcceptForm(FlaskForm):
    note = TextAreaField(_l("入选说明（选填，企业可见）"), validators=[Length(max=1000)], render_kw={"rows": 2})


class RejectForm(FlaskForm):
    # Required by the service (with the message the admin needs); the form only bounds the length.
    reason = TextAreaField(_l("未入选原因（企业可见）"), validators=[Length(max=1000)], render_kw={"rows": 2})
