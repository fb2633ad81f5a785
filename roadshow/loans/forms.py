"""Loan product, application, decision and IP forms. Amounts are typed in 万元 and kept in CNY as exact Decimals."""
from __future__ import annotations


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..common.choices import District, IndustryChain, SrdiLevel
from ..common.forms import MultiCheckboxField, WanField, cny_to_wan, wan_to_cny
from .eligibility import EQ, GTE, IN, LTE, load_rules
from .facts import Fact
from .models import Collateral, IpKind, IpStatus, LoanKind


class RateField(DecimalField):
    """An annual rate in percent ("3.45"); words and non-numbers are refused here, ranges by the service."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip().rstrip("%") == "":
            self.data = None
            return
        if valuelist:
            valuelist = [valuelist[0].strip().rstrip("%")]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("请填写数字，单位为 %（年化）。")) from None
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("请填写数字，单位为 %（年化）。"))


def _count(label, maximum=1_000_000):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=maximum)])


# The product form's eligibility fields: (field, fact, operator). The rules a product stores are built
# from them, and read back into them when the product is edited.
RULE_FIELDS = (
    ("min_innovation_score", Fact.INNOVATION_SCORE, GTE),
    ("min_srdi_level", Fact.SRDI_LEVEL, GTE),
    ("require_high_tech", Fact.HIGH_TECH, EQ),
    ("min_patents", Fact.PATENTS, GTE),
    ("min_invention_patents", Fact.INVENTION_PATENTS, GTE),
    ("min_years", Fact.YEARS_FOUNDED, GTE),
    ("max_years", Fact.YEARS_FOUNDED, LTE),
    ("min_revenue", Fact.ANNUAL_REVENUE, GTE),
    ("chains", Fact.INDUSTRY_CHAIN, IN),
    ("districts", Fact.DISTRICT, IN),
)


class ProductForm(FlaskForm):
    name = StringField(_l("产品名称"), validators=[DataRequired(_l("请填写产品名称。")), Length(max=120)])
    kind = SelectField(_l("产品类别"), choices=LoanKind.choices(), validators=[DataRequired()])
    collateral = SelectField(_l("担保方式"), choices=Collateral.choices(), validators=[DataRequired()])
    amount_min = WanField(_l("额度下限（万元）"), places=None, validators=[InputRequired(_l("请填写额度下限。"))],
                          render_kw={"inputmode": "decimal", "placeholder": "50"})
    amount_max = WanField(_l("额度上限（万元）"), places=None, validators=[InputRequired(_l("请填写额度上限。"))],
                          render_kw={"inputmode": "decimal", "placeholder": "1000"})
    rate_min = RateField(_l("年利率下限（%）"), places=None, validators=[InputRequired(_l("请填写年利率下限。"))],
                         render_kw={"inputmode": "decimal", "placeholder": "3.2"})
    rate_max = RateField(_l("年利率上限（%）"), places=None, validators=[InputRequired(_l("请填写年利率上限。"))],
                         render_kw={"inputmode": "decimal", "placeholder": "4.5"})
    term_min_months = IntegerField(_l("最短期限（月）"), validators=[InputRequired(_l("请填写最短期限。"))])
    term_max_months = IntegerField(_l("最长期限（月）"), validators=[InputRequired(_l("请填写最长期限。"))])
    description = TextAreaField(_l("产品说明"), validators=[Length(max=4000)], render_kw={"rows": 4})
    is_published = BooleanField(_l("在产品库公开"), default=True)
    # eligibility, every field optional: empty means no condition
    min_innovation_score = _count(_l("创新积分不低于"), 100)
    min_srdi_level = SelectField(_l("专精特新等级不低于"), choices=SrdiLevel.choices(
        [level for level in SrdiLevel if level.is_recognized], blank=_l("不限")), validators=[Optional()])
    require_high_tech = BooleanField(_l("须为高新技术企业"))
    min_patents = _count(_l("有效专利数不少于"))
    min_invention_patents = _count(_l("有效发明专利数不少于"))
    min_years = _count(_l("成立年限不少于（年）"), 200)
    max_years = _count(_l("成立年限不超过（年）"), 200)
    min_revenue = WanField(_l("上年营业收入不低于（万元）"), places=None, validators=[Optional(), NumberRange(min=0)])
    chains = MultiCheckboxField(_l("限定产业链"), choices=IndustryChain.choices())
    districts = MultiCheckboxField(_l("限定注册区域"), choices=District.choices())

    def rules(self) -> list[dict]:
        rules = []
        for name, fact, op in RULE_FIELDS:
            value = getattr(self, name).data
            if value in (None, "", [], False):
                continue
            if fact is Fact.ANNUAL_REVENUE:
                value = format(wan_to_cny(value), "f")
            rules.append({"fact": fact.value, "op": op, "value": value})
        return rules

    @classmethod
    def initial(cls, product) -> dict:
        data = {
            "name": product.name, "kind": product.kind.value, "collateral": product.collateral.value,
            "amount_min": cny_to_wan(product.amount_min), "amount_max": cny_to_wan(product.amount_max),
            "rate_min": product.rate_min.normalize(), "rate_max": product.rate_max.normalize(),
            "term_min_months": product.term_min_months, "term_max_months": product.term_max_months,
            "description": product.description, "is_published": product.is_published,
        }
        fields = {(fact, op): name for name, fact, op in RULE_FIELDS}
        for rule in load_rules(product.rules):
            name = fields.get((rule.fact, rule.op))
            if name is None:
                continue
            value = rule.value
            if rule.fact is Fact.ANNUAL_REVENUE:
                value = cny_to_wan(value)
            elif isinstance(value, tuple):
                value = [v.value for v in value]
            elif rule.fact is Fact.SRDI_LEVEL:
                value = value.value
            data[name] = value
        return data

    def service_fields(self) -> dict:
        return {
            "name": self.name.data, "kind": LoanKind(self.kind.data), "collateral": Collateral(self.collateral.data),
            "amount_min": wan_to_cny(self.amount_min.data), "amount_max": wan_to_cny(self.amount_max.data),
            "rate_min": self.rate_min.data, "rate_max": self.rate_max.data,
            "term_min_months": self.term_min_months.data, "term_max_months": self.term_max_months.data,
            "description": self.description.data or "", "rules": self.rules(), "is_published": self.is_published.data,
        }


class LoanApplicationForm(FlaskForm):
    amount = WanField(_l("申请金额（万元）"), places=None, validators=[InputRequired(_l("请填写申请金额。"))],
                      render_kw={"inputmode": "decimal"})
    term_months = IntegerField(_l("期限（月）"), validators=[InputRequired(_l("请填写期限。"))])
    purpose = TextAreaField(_l("贷款用途"), validators=[DataRequired(_l("请说明贷款用途。")), Length(max=2000)],
                            render_kw={"rows": 3})

    def service_fields(self) -> dict:
        return {"amount": wan_to_cny(self.amount.data), "term_months": self.term_months.data,
                "purpose": self.purpose.data}


class TextForm(FlaskForm):
    """A question to the startup, or its answer."""
    text = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写内容。")), Length(max=2000)],
                         render_kw={"rows": 3})


class ApproveForm(FlaskForm):
    amount = WanField(_l("批准金额（万元）"), places=None, validators=[InputRequired(_l("请填写批准金额。"))],
                      render_kw={"inputmode": "decimal"})
    rate = RateField(_l("年利率（%）"), places=None, validators=[InputRequired(_l("请填写年利率。"))],
                     render_kw={"inputmode": "decimal"})
    term_months = IntegerField(_l("期限（月）"), validators=[InputRequired(_l("请填写期限。"))])
    note = TextAreaField(_l("说明（选填）"), validators=[Length(max=2000)], render_kw={"rows": 2})

    def service_fields(self) -> dict:
        return {"amount": wan_to_cny(self.amount.data), "rate": self.rate.data,
                "term_months": self.term_months.data, "note": self.note.data or ""}


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("未获批原因"), validators=[DataRequired(_l("请填写未获批的原因，企业会看到它。")),
                                                      Length(max=2000)], render_kw={"rows": 2})


class IpAssetForm(FlaskForm):
    kind = SelectField(_l("类别"), choices=IpKind.choices(), validators=[DataRequired()])
    number = StringField(_l("登记号 / 专利号"), validators=[DataRequired(_l("请填写登记号。")), Length(max=40)],
                         render_kw={"placeholder": "ZL202310123456.7"})
    title = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=200)])
    status = SelectField(_l("法律状态"), choices=IpStatus.choices(), validators=[DataRequired()])
    owner = StringField(_l("权利人"), validators=[DataRequired(_l("请填写权利人。")), Length(max=120)])

    def service_fields(self) -> dict:
        return {"kind": IpKind(self.kind.data), "number": self.number.data, "title": self.title.data,
                "status": IpStatus(self.status.data), "owner": self.owner.data}
