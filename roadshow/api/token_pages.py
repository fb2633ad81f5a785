"""Account pages for personal API tokens: create (shown once), list, revoke."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from ..common.actions import show_violation
from ..common.errors import RuleViolation
from ..common.forms import MultiCheckboxField
from ..common.lookup import get_visible_or_404
from ..extensions import db
from . import tokens
from .models import ApiToken
from .policies import owns_token

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    name = StringField(_l("令牌名称"), validators=[DataRequired(_l("请为令牌取一个名称。")), Length(max=80)],
                       description=_l("例如“投资管理系统对接”，便于以后辨认。"))
    scopes = MultiCheckboxField(
        _l("权限范围"),
        choices=[SelectChoice("read", _l("read：读取公开数据与我的数据")),
                 SelectChoice("write", _l("write：预约、取消等写操作"))],
        default=["read"],
    )


def _page(form: TokenForm, new_token: str | None = None, status: int = 200):
    return render_template("api/tokens.html", form=form, tokens=tokens.active_tokens(current_user),
                           new_token=new_token), status


@bp.get("/")
@login_required
def index():
    return _page(TokenForm())


@bp.post("/")
@login_required
def create():
    form = TokenForm()
    if not form.validate():
        return _page(form, status=422)
    try:
        _token, plaintext = tokens.create_token(current_user, form.name.data, form.scopes.data or [])
    except RuleViolation as exc:
        show_violation(form, exc)
        return _page(form, status=422)
    db.session.commit()
    flash(_("令牌已创建。请立即复制保存，它只显示这一次。"), "success")
    return _page(TokenForm(formdata=None), new_token=plaintext)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = get_visible_or_404(ApiToken, token_id, owns_token)
    tokens.revoke_token(current_user, token)
    db.session.commit()
    flash(_("令牌“%(name)s”已吊销，使用它的请求将被拒绝。", name=token.name), "info")
    return redirect(url_for(".index"))
