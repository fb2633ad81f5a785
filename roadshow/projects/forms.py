"""Company, project, deck and project-library filter forms."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Form,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..common.choices import District, IndustryChain, SrdiLevel, Stage
from ..common.forms import WanField, WebsiteField, cny_to_wan, wan_to_cny, wan_to_yuan, yuan_to_wan
from . import credit_code
from .models import Company, Project

FOUNDED_MIN = 1949
AMOUNT_MAX_WAN = Decimal(10_000_000)  # 1000 亿元: beyond any roadshow round


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _strip_upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _none_if_blank(value):
    return value or None


def validate_credit_code(_form, field) -> None:
    """Tell a mistyped code (shape) apart from a wrong check character."""
    code = credit_code.normalize(field.data or "")
    body = code[:17]
    well_formed = (
        len(code) == 18
        and all(ch in credit_code.ALPHABET for ch in code)
        and credit_code.is_valid(body + credit_code.check_character(body))
    )
    if not well_formed:
        raise ValidationError(_l("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）。"))
    if not credit_code.is_valid(code):
        raise ValidationError(_l("统一社会信用代码校验位不正确，请核对营业执照。"))


def validate_founded_year(_form, field) -> None:
    if field.data is not None and not FOUNDED_MIN <= field.data <= date.today().year:
        raise ValidationError(
            _l("成立年份应在 %(min)d–%(max)d 之间。", min=FOUNDED_MIN, max=date.today().year)
        )


def validate_web_url(_form, field) -> None:
    if field.data and not field.data.lower().startswith(("http://", "https://")):
        raise ValidationError(_l("网址须以 http:// 或 https:// 开头。"))


def validate_one_line(_form, field) -> None:
    if field.data and ("\n" in field.data or "\r" in field.data):
        raise ValidationError(_l("一句话介绍只能写一行。"))


class CompanyForm(FlaskForm):
    name = StringField(
        _l("企业名称"),
        filters=[_strip],
        validators=[DataRequired(_l("请填写企业名称。")), Length(max=120)],
        description=_l("与营业执照一致，例如：武汉光谷某某科技有限公司"),
    )
    credit_code = StringField(
        _l("统一社会信用代码"),
        filters=[_strip_upper],
        validators=[DataRequired(_l("请填写统一社会信用代码。")), validate_credit_code],
        description=_l("18 位，见营业执照；仅平台管理员和本企业成员可见。"),
    )
    industry_chain = SelectField(_l("所属产业链"), choices=IndustryChain.choices(), validators=[DataRequired()])
    stage = SelectField(_l("企业发展阶段"), choices=Stage.choices(), validators=[DataRequired()])
    city = StringField(
        _l("所在城市"), default="武汉", filters=[_strip], validators=[DataRequired(_l("请填写所在城市。")), Length(max=40)]
    )
    district = SelectField(
        _l("注册地（区）"), choices=District.choices(blank=_l("不填")), default="",
        coerce=lambda value: getattr(value, "value", value),  # the stored enum's value
        description=_l("用于贷款产品的地域条件和政府部门的分区统计。"),
    )
    founded_year = IntegerField(
        _l("成立年份"),
        validators=[InputRequired(_l("请填写成立年份。")), validate_founded_year],
    )
    headcount = IntegerField(
        _l("员工人数"),
        default=0,
        validators=[InputRequired(_l("请填写员工人数。")), NumberRange(min=0, max=1_000_000, message=_l("请输入有效的人数。"))],
    )
    patents_count = IntegerField(
        _l("知识产权/专利数"),
        default=0,
        validators=[InputRequired(_l("请填写专利数。")), NumberRange(min=0, max=1_000_000, message=_l("请输入有效的数量。"))],
    )
    innovation_score = IntegerField(
        _l("创新积分"),
        default=0,
        validators=[
            InputRequired(_l("请填写创新积分。")),
            NumberRange(min=0, max=100, message=_l("创新积分应在 0–100 之间。")),
        ],
        description=_l("科技企业创新积分，0–100 分。"),
    )
    annual_revenue = WanField(
        _l("上年营业收入（万元，选填）"),
        validators=[Optional(), NumberRange(min=0, message=_l("营业收入不能为负数。"))],
        description=_l("银行的贷款产品可能以营业收入为条件；不填时，这类条件显示为“未提供”。"),
    )
    is_high_tech = BooleanField(_l("国家高新技术企业"))
    srdi_level = SelectField(_l("专精特新认定"), choices=SrdiLevel.choices(), default=SrdiLevel.NONE.value)
    university = StringField(
        _l("高校/校友背景（选填）"),
        filters=[_strip, _none_if_blank],
        validators=[Optional(), Length(max=80)],
        description=_l("例如：华中科技大学、武汉大学"),
    )
    intro = TextAreaField(
        _l("企业简介"),
        filters=[_strip],
        validators=[DataRequired(_l("请填写企业简介。")), Length(max=4000)],
        render_kw={"rows": 5},
    )
    website = WebsiteField(
        _l("企业官网（选填）"),
        validators=[Optional(), Length(max=200), validate_web_url],
    )

    def company_fields(self) -> dict:
        return {
            "name": self.name.data,
            "credit_code": self.credit_code.data,
            "industry_chain": IndustryChain(self.industry_chain.data),
            "stage": Stage(self.stage.data),
            "city": self.city.data,
            "district": District(self.district.data) if self.district.data else None,
            "annual_revenue": wan_to_cny(self.annual_revenue.data),
            "founded_year": self.founded_year.data,
            "headcount": self.headcount.data,
            "patents_count": self.patents_count.data,
            "innovation_score": self.innovation_score.data,
            "is_high_tech": bool(self.is_high_tech.data),
            "srdi_level": SrdiLevel(self.srdi_level.data),
            "university": self.university.data,
            "intro": self.intro.data,
            "website": self.website.data,
        }

    @classmethod
    def for_company(cls, company: Company | None) -> "CompanyForm":
        form = cls(obj=company)
        if form.district.data is None:  # none stored (or the field not posted): the blank choice, "not given"
            form.district.data = ""
        if company is not None and not form.is_submitted():
            form.industry_chain.data = company.industry_chain.value
            form.stage.data = company.stage.value
            form.srdi_level.data = company.srdi_level.value
            form.annual_revenue.data = cny_to_wan(company.annual_revenue)
        return form


class ProjectForm(FlaskForm):
    title = StringField(
        _l("项目名称"),
        filters=[_strip],
        validators=[DataRequired(_l("请填写项目名称。")), Length(max=120, message=_l("项目名称最多 120 字。"))],
    )
    pitch = StringField(
        _l("一句话介绍"),
        filters=[_strip],
        validators=[
            DataRequired(_l("请用一句话介绍项目。")),
            Length(max=140, message=_l("一句话介绍最多 140 字。")),
            validate_one_line,
        ],
        description=_l("投资人在项目库中首先看到的内容，140 字以内。"),
    )
    description = TextAreaField(
        _l("项目详情"),
        filters=[_strip],
        validators=[DataRequired(_l("请填写项目详情。")), Length(max=10_000)],
        description=_l("核心技术、产品进展、市场与团队。"),
        render_kw={"rows": 8},
    )
    industry_chain = SelectField(_l("所属产业链"), choices=IndustryChain.choices(), validators=[DataRequired()])
    financing_round = SelectField(_l("本轮融资轮次"), choices=Stage.choices(), validators=[DataRequired()])
    amount_sought = WanField(
        _l("拟融资金额（万元）"),
        validators=[InputRequired(_l("请填写拟融资金额。"))],
        description=_l("单位：万元人民币，例如 3000 表示 3000 万元。"),
        render_kw={"inputmode": "decimal"},
    )
    use_of_funds = TextAreaField(
        _l("资金用途"),
        filters=[_strip],
        validators=[DataRequired(_l("请说明资金用途。")), Length(max=4000)],
        render_kw={"rows": 4},
    )

    def validate_amount_sought(self, field) -> None:
        if field.data is None:
            return
        if wan_to_yuan(field.data) < 1:
            raise ValidationError(_l("融资金额须大于 0。"))
        if field.data > AMOUNT_MAX_WAN:
            raise ValidationError(_l("融资金额过大，请以万元为单位填写。"))

    def project_fields(self) -> dict:
        return {
            "title": self.title.data,
            "pitch": self.pitch.data,
            "description": self.description.data,
            "industry_chain": IndustryChain(self.industry_chain.data),
            "financing_round": Stage(self.financing_round.data),
            "amount_sought": wan_to_yuan(self.amount_sought.data),
            "use_of_funds": self.use_of_funds.data,
        }

    @classmethod
    def for_project(cls, project: Project, fresh: bool = False) -> "ProjectForm":
        """The form filled from the project; fresh ignores any posted data (another form was posted)."""
        form = cls(formdata=None, obj=project) if fresh else cls(obj=project)
        if fresh or not form.is_submitted():
            form.industry_chain.data = project.industry_chain.value
            form.financing_round.data = project.financing_round.value
            form.amount_sought.data = yuan_to_wan(project.amount_sought)
        return form

    @classmethod
    def for_company(cls, company: Company) -> "ProjectForm":
        form = cls()
        if not form.is_submitted():
            form.industry_chain.data = company.industry_chain.value
            form.financing_round.data = company.stage.value
        return form


class DeckForm(FlaskForm):
    deck = FileField(
        _l("路演材料（PDF）"),
        validators=[FileRequired(_l("请选择要上传的 PDF 文件。"))],
    )


class DeckDownloadsForm(FlaskForm):
    """The company's switch: may readers download the deck, or only read it in the browser?"""
    downloadable = BooleanField(_l("允许投资人下载路演材料"))


class ProjectFilterForm(Form):
    """The GET filter bar of the public project library (no CSRF: it changes nothing)."""
    q = SearchField(_l("搜索"), filters=[_strip], render_kw={"placeholder": _l("项目名称、一句话介绍或企业名称")})
    chain = SelectField(_l("产业链"), choices=IndustryChain.choices(blank=_l("全部产业链")), default="")
    stage = SelectField(_l("融资轮次"), choices=Stage.choices(blank=_l("全部轮次")), default="")

    def selected_chain(self) -> IndustryChain | None:
        return _enum_or_none(IndustryChain, self.chain.data)

    def selected_stage(self) -> Stage | None:
        return _enum_or_none(Stage, self.stage.data)

    def search_text(self) -> str:
        return (self.q.data or "")[:100]


def _enum_or_none(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None
