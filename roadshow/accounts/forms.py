"""Account forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from .models import SELF_SERVICE_ROLES, Role
from .passwords import PASSWORD_HINT, StrongPassword


PUBLIC_SIGN_UP = "public"


class RegisterForm(FlaskForm):
    role = RadioField(
        _l("我是"),
        # "public": a person without a role, who registers for sessions open to the public (open days)
        choices=[*Role.choices(SELF_SERVICE_ROLES), SelectChoice(PUBLIC_SIGN_UP, _l("个人（报名公众活动）"))],
        default=SELF_SERVICE_ROLES[0].value,
        validators=[DataRequired(_l("请选择身份。"))],
    )
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=80)])
    email = EmailField(
        _l("工作邮箱"),
        validators=[DataRequired(_l("请填写邮箱。")), Email(_l("邮箱格式不正确。")), Length(max=254)],
    )
    phone = StringField(
        _l("手机号（选填）"),
        validators=[Optional(), Regexp(r"^\+?[0-9\- ]{6,20}$", message=_l("手机号格式不正确。"))],
    )
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请设置密码。")), StrongPassword("email", "name")],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("确认密码"), validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))]
    )

    def chosen_role(self) -> Role | None:
        """The role asked for; None for a member of the public."""
        return None if self.role.data == PUBLIC_SIGN_UP else Role(self.role.data)


class LoginForm(FlaskForm):
    email = EmailField(_l("邮箱"), validators=[DataRequired(_l("请填写邮箱。")), Email(_l("邮箱格式不正确。"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码。"))])
    remember = BooleanField(_l("记住我"))


class ProfileForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=80)])
    phone = StringField(
        _l("手机号"), validators=[Optional(), Regexp(r"^\+?[0-9\- ]{6,20}$", message=_l("手机号格式不正确。"))]
    )


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请填写当前密码。"))])
    password = PasswordField(
        _l("新密码"),
        validators=[DataRequired(_l("请设置新密码。")), StrongPassword()],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("确认新密码"), validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))]
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("注册邮箱"), validators=[DataRequired(_l("请填写邮箱。")), Email(_l("邮箱格式不正确。"))])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("新密码"), validators=[DataRequired(_l("请设置新密码。")), StrongPassword()], description=PASSWORD_HINT
    )
    confirm = PasswordField(
        _l("确认新密码"), validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))]
    )
