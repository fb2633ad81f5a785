"""Matching forms: the investor's filter bar, investment-express subscriptions, an advisor request."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..common.choices import IndustryChain, Stage
from ..common.forms import MultiCheckboxField, WanField, wan_to_yuan, yuan_to_wan
from ..investors.forms import positive_wan
from .models import Frequency


class MatchFilterForm(FlaskForm):
    """Read from the query string (GET), so no CSRF token."""
    class Meta:
        csrf = False

    chain = SelectField(_l("产业链"), choices=IndustryChain.choices(blank=_l("全部产业链")), default="")
    stage = SelectField(_l("轮次"), choices=Stage.choices(blank=_l("全部轮次")), default="")
    min_score = IntegerField(_l("最低匹配度"), default=0, validators=[Optional(), NumberRange(0, 100)])
    sort = SelectField(_l("排序"), default="score", choices=[
        SelectChoice("score", _l("匹配度最高")), SelectChoice("newest", _l("最新公开")),
        SelectChoice("amount", _l("融资金额最大"))])
    view = SelectField(_l("显示"), default="all", choices=[
        SelectChoice("all", _l("全部")), SelectChoice("saved", _l("已收藏")), SelectChoice("hidden", _l("已隐藏"))])


class SavedSearchForm(FlaskForm):
    name = StringField(_l("订阅名称"), validators=[DataRequired(_l("请给订阅起个名字。")), Length(max=60)],
                       render_kw={"placeholder": _l("例如：光电子 A 轮 1000 万以上")})
    chains = MultiCheckboxField(_l("产业链（不选即全部）"), choices=IndustryChain.choices())
    stages = MultiCheckboxField(_l("轮次（不选即全部）"), choices=Stage.choices())
    amount_min = WanField(_l("融资金额下限（万元，选填）"), places=None, validators=[Optional(), positive_wan])
    amount_max = WanField(_l("融资金额上限（万元，选填）"), places=None, validators=[Optional(), positive_wan])
    min_score = IntegerField(_l("最低匹配度（0–100）"), default=0, validators=[
        Optional(), NumberRange(0, 100, _l("请填写 0 到 100 之间的整数。"))],
        description=_l("按贵机构基金与项目的匹配度筛选，0 表示不限。"))
    frequency = SelectField(_l("提醒方式"), choices=Frequency.choices(), default=Frequency.INSTANT.value)

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(), "chains": self.chains.data or [], "stages": self.stages.data or [],
            "amount_min": wan_to_yuan(self.amount_min.data), "amount_max": wan_to_yuan(self.amount_max.data),
            "min_score": self.min_score.data or 0, "frequency": Frequency(self.frequency.data),
        }

    @classmethod
    def initial(cls, search) -> dict:
        return {"name": search.name, "chains": search.chains, "stages": search.stages,
                "amount_min": yuan_to_wan(search.amount_min), "amount_max": yuan_to_wan(search.amount_max),
                "min_score": search.min_score, "frequency": search.frequency.value}


class AdvisorRequestForm(FlaskForm):
    message = TextAreaField(_l("需求说明"), validators=[Length(max=1000)], render_kw={
        "rows": 3, "placeholder": _l("例如：本轮计划融资 3000 万元，希望财务顾问协助梳理估值与对接产业资本。")})
