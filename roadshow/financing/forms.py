"""The startup's financing record form. Amounts are typed in 万元 and kept in CNY as exact Decimals."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..common.choices import Stage
from ..common.forms import BoundedDateField, WanField, optional_int, wan_to_cny
from .models import FinancingKind


class FinancingEventForm(FlaskForm):
    kind = SelectField(_l("融资类型"), choices=FinancingKind.choices(), validators=[InputRequired()])
    amount = WanField(_l("金额（万元）"), places=None, validators=[InputRequired(_l("请填写金额。"))],
                      render_kw={"inputmode": "decimal"})
    occurred_on = BoundedDateField(_l("日期"), validators=[InputRequired(_l("请填写日期。"))])
    institution_id = SelectField(_l("平台上的机构（选填）"), coerce=optional_int, validators=[Optional()],
                                 description=_l("选择平台上的机构后，该机构会确认这条记录。"))
    counterparty = StringField(_l("出资方（平台外）"), validators=[Length(max=200)],
                               description=_l("平台外的投资方、银行或资助部门，如“武汉市科技局”。"))
    round = SelectField(_l("轮次（股权融资）"), choices=Stage.choices(blank=_l("—")), validators=[Optional()])
    valuation = WanField(_l("投后估值（万元，选填）"), places=None, validators=[Optional()],
                         render_kw={"inputmode": "decimal"})
    note = TextAreaField(_l("备注"), validators=[Length(max=1000)], render_kw={"rows": 2})

    def service_fields(self, institutions: dict) -> dict:
        return {
            "kind": FinancingKind(self.kind.data), "amount": wan_to_cny(self.amount.data),
            "occurred_on": self.occurred_on.data, "institution": institutions.get(self.institution_id.data),
            "counterparty": self.counterparty.data or "", "round": Stage(self.round.data) if self.round.data else None,
            "valuation": wan_to_cny(self.valuation.data), "note": self.note.data or "",
        }


class DisputeForm(FlaskForm):
    note = TextAreaField(_l("异议说明"), validators=[InputRequired(_l("请说明异议，企业会看到它。")), Length(max=1000)],
                         render_kw={"rows": 2})
