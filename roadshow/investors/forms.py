"""Institution and fund forms. Amounts are typed in 万元 and stored in whole yuan."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, URL, ValidationError

from ..common.choices import IndustryChain, Region, Stage
from ..common.forms import MultiCheckboxField, WanField, WebsiteField, english_version, optional_text, wan_to_yuan, yuan_to_wan
from .disclosure import parse_portfolio, portfolio_text
from .models import InstitutionType

# Enough for the largest funds (万亿 would be absurd for one fund).
MAX_WAN = Decimal(100_000_000)


class ExactDecimalField(DecimalField):
    """A decimal typed by a person: finite, at most two places (checked by `two_places`), kept exactly."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace(",", "").replace("，", "").strip()]
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("请输入有效的数字。"))


def two_places(form, field) -> None:
    """Amounts and shares are disclosed to the cent / hundredth of a percent, never rounded silently."""
    if field.data is None:
        return
    try:
        exact = field.data == field.data.quantize(Decimal("0.01"))
    except InvalidOperation:  # "1e999": too many digits to hold to the cent
        raise ValidationError(_l("数值过大。")) from None
    if not exact:
        raise ValidationError(_l("最多两位小数。"))


def positive_wan(form, field) -> None:
    if field.data is not None and not (Decimal(0) < field.data <= MAX_WAN):
        raise ValidationError(_l("请填写大于 0 的金额（单位：万元）。"))


class InstitutionForm(FlaskForm):
    name = StringField(
        _l("机构全称"), validators=[DataRequired(_l("请填写机构全称。")), Length(max=120)]
    )
    type = SelectField(
        _l("机构类型"), choices=InstitutionType.choices(), validators=[DataRequired(_l("请选择机构类型。"))]
    )
    registration_number = StringField(
        _l("基金业协会登记编号"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"^[A-Za-z0-9\-]+$", message=_l("登记编号只能包含字母、数字和连字符，如 P1001234。")),
        ],
        description=_l("私募基金管理人登记编号，如 P1001234；银行科技金融部门、财务顾问可不填。"),
    )
    city = StringField(_l("所在城市"), default="武汉", validators=[DataRequired(_l("请填写所在城市。")), Length(max=40)])
    website = WebsiteField(
        _l("官网（选填）"), validators=[Optional(), URL(message=_l("网址格式不正确。")), Length(max=200)]
    )
    intro = TextAreaField(_l("机构简介"), validators=[Length(max=2000)], render_kw={"rows": 4})
    name_en = english_version(_l("英文名称（选填）"), 160)
    intro_en = english_version(_l("英文简介（选填）"), 2000, rows=3)

    def service_fields(self) -> dict:
        return {
            "name_en": optional_text(self.name_en),
            "intro_en": optional_text(self.intro_en),
            "name": self.name.data,
            "type": InstitutionType(self.type.data),
            "registration_number": self.registration_number.data,
            "city": self.city.data.strip(),
            "website": (self.website.data or "").strip() or None,
            "intro": (self.intro.data or "").strip(),
        }


class FundForm(FlaskForm):
    name = StringField(_l("基金名称"), validators=[DataRequired(_l("请填写基金名称。")), Length(max=120)])
    size = WanField(
        _l("基金规模（万元，选填）"),
        places=None,
        validators=[Optional(), positive_wan],
        render_kw={"inputmode": "decimal", "placeholder": "50000"},
    )
    focus_chains = MultiCheckboxField(_l("关注产业链"), choices=IndustryChain.choices())
    stages = MultiCheckboxField(_l("投资阶段"), choices=Stage.choices())
    regions = MultiCheckboxField(_l("投资地域"), choices=Region.choices())
    ticket_min = WanField(
        _l("单笔投资下限（万元）"),
        places=None,
        validators=[InputRequired(_l("请填写单笔投资下限。")), positive_wan],
        render_kw={"inputmode": "decimal", "placeholder": "500"},
    )
    ticket_max = WanField(
        _l("单笔投资上限（万元）"),
        places=None,
        validators=[InputRequired(_l("请填写单笔投资上限。")), positive_wan],
        render_kw={"inputmode": "decimal", "placeholder": "3000"},
    )

    # Disclosure (创业投资基金信息公开); all optional, every change is kept in the public history.
    registration_code = StringField(_l("备案编码"), filters=[lambda v: (v or "").strip().upper() or None],
                                    validators=[Optional(), Regexp(r"^[A-Z0-9]{5,20}$", message=_l("备案编码为 5–20 位字母或数字。"))],
                                    render_kw={"placeholder": "SXY123"})
    vintage_year = IntegerField(_l("设立年份"), validators=[Optional(), NumberRange(1990, 2100)])
    term_years = IntegerField(_l("存续期（年）"), validators=[Optional(), NumberRange(1, 30)])
    investment_period_years = IntegerField(_l("投资期（年）"), validators=[Optional(), NumberRange(1, 30)])
    committed_size = ExactDecimalField(_l("认缴规模（元）"), places=2, validators=[Optional(), NumberRange(0, Decimal("1e15")), two_places],
                                  render_kw={"inputmode": "decimal", "placeholder": "500000000.00"})
    paid_in_size = ExactDecimalField(_l("实缴规模（元）"), places=2, validators=[Optional(), NumberRange(0, Decimal("1e15")), two_places],
                                render_kw={"inputmode": "decimal"})
    guidance_share = ExactDecimalField(_l("政府引导基金出资占比（%）"), places=2, validators=[Optional(), NumberRange(0, 100), two_places])
    state_capital_share = ExactDecimalField(_l("国有资本出资占比（%）"), places=2, validators=[Optional(), NumberRange(0, 100), two_places])
    reinvest_region = StringField(_l("返投地域"), validators=[Optional(), Length(max=60)],
                                  render_kw={"placeholder": _l("如：武汉东湖高新区")})
    reinvest_share = ExactDecimalField(_l("返投比例（%）"), places=2, validators=[Optional(), NumberRange(0, 1000), two_places])
    portfolio = TextAreaField(_l("投资组合"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    contact = StringField(_l("联系方式"), validators=[Optional(), Length(max=120)])

    def validate_ticket_max(self, field) -> None:
        low = self.ticket_min.data
        if low is not None and field.data is not None and low > field.data:
            raise ValidationError(_l("上限不能低于下限。"))

    @classmethod
    def initial(cls, fund) -> dict:
        return {
            "name": fund.name,
            "size": yuan_to_wan(fund.size),
            "focus_chains": list(fund.focus_chains or []),
            "stages": list(fund.stages or []),
            "regions": list(fund.regions or []),
            "ticket_min": yuan_to_wan(fund.ticket_min),
            "ticket_max": yuan_to_wan(fund.ticket_max),
            **{name: getattr(fund, name) for name in DISCLOSURE_FIELDS},
            "portfolio": portfolio_text(fund),
        }

    def service_fields(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "size": wan_to_yuan(self.size.data),
            "focus_chains": list(self.focus_chains.data or []),
            "stages": list(self.stages.data or []),
            "regions": list(self.regions.data or []),
            "ticket_min": wan_to_yuan(self.ticket_min.data),
            "ticket_max": wan_to_yuan(self.ticket_max.data),
            **{name: _exact(getattr(self, name).data) for name in DISCLOSURE_FIELDS},
            "reinvest_region": (self.reinvest_region.data or "").strip() or None,
            "contact": (self.contact.data or "").strip() or None,
            "portfolio": parse_portfolio(self.portfolio.data),
        }


DISCLOSURE_FIELDS = ("registration_code", "vintage_year", "term_years", "investment_period_years", "committed_size",
                     "paid_in_size", "guidance_share", "state_capital_share", "reinvest_region", "reinvest_share",
                     "contact")


def _exact(value):
    """Decimals kept exactly as typed, to the cent (DecimalField's `places` only affects display)."""
    return value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value
