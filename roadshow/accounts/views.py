"""Register, log in, log out, account settings."""
from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from ..common.errors import RuleViolation
from ..common.forms import safe_next_url
from ..extensions import db, limiter
from ..i18n.views import language_at_login
from ..ops.throttle import throttle_login
from . import services
from . import reset
from .forms import ForgotPasswordForm, LoginForm, PasswordForm, ProfileForm, RegisterForm, ResetPasswordForm
from .models import Role

bp = Blueprint("accounts", __name__)


def _landing_endpoint(user) -> str:
    """Where a user starts: the page that matters for their main role."""
    if user.is_admin:
        return "admin.dashboard"
    if user.has_role(Role.STARTUP):
        return "projects.my_projects"
    if user.has_role(Role.INVESTOR):
        return "investors.my_institution"
    if user.has_role(Role.REVIEWER):
        return "screening.my_reviews"
    if user.has_role(Role.ORGANISER):
        return "organisers.dashboard"
    if user.has_role(Role.GOVERNMENT):
        return "government.dashboard"  # the numbers they come to read
    return "roadshows.home"


def _start_session(user, remember: bool = False) -> None:
    session.clear()  # a fresh session on login: nothing from before survives (no fixation)
    login_user(user, remember=remember)


def _register_limit() -> str:
    return current_app.config["REGISTER_LIMIT_PER_IP"]


@bp.route("/register", methods=["GET", "POST"])
# Per client address, counting registrations that went through (each sends an email), not forms shown
# again with a mistake: nobody can probe addresses or send mail in bulk through this form.
@limiter.limit(_register_limit, methods=["POST"], deduct_when=lambda response: response.status_code == 302)
def register():
    if current_user.is_authenticated:
        return redirect(url_for(_landing_endpoint(current_user)))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_user(
                form.email.data, form.password.data, form.name.data, form.chosen_role(), form.phone.data
            )
        except RuleViolation as exc:
            form.role.errors.append(str(exc))
        else:
            db.session.commit()
            # The same answer whether the address is new or registered: its owner learns the rest by email.
            flash(_("我们已向 %(email)s 发送了一封邮件，请打开邮件中的链接完成注册。", email=form.email.data.strip()), "info")
            return redirect(url_for(".registration_sent"))
    return render_template("accounts/register.html", form=form)


@bp.get("/register/sent")
def registration_sent():
    return render_template("accounts/registration_sent.html", days=services.CONFIRM_MAX_AGE // 86400)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link mailed on registration. Opening it shows a button; only pressing it confirms (mail scanners
    that open every link must not confirm an account someone else registered with this address)."""
    user = services.user_for_confirmation(token)
    if user is None:
        flash(_("确认链接无效或已过期，请重新注册。"), "warning")
        return redirect(url_for(".register"))
    if user.email_confirmed:
        flash(_("这个账户已经确认过了，请登录。"), "info")
        return redirect(url_for(".login"))
    form = FlaskForm()
    if form.validate_on_submit():
        services.confirm_email(user)
        db.session.commit()
        _start_session(user)
        flash(_("注册成功，欢迎加入光谷科创路演中心！"), "success")
        return redirect(url_for(_landing_endpoint(user)))
    return render_template("accounts/confirm_email.html", form=form, user=user)


@bp.route("/login", methods=["GET", "POST"])
@throttle_login
def login():
    if current_user.is_authenticated:
        return redirect(url_for(_landing_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except RuleViolation as exc:  # the right password for an account not yet confirmed
            db.session.commit()  # the new confirmation email
            form.email.errors.append(str(exc))
        else:
            if user is None:
                form.password.errors.append(_("邮箱或密码不正确。"))
            else:
                db.session.commit()
                _start_session(user, remember=form.remember.data)
                return language_at_login(user, redirect(safe_next_url(_landing_endpoint(user))))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(current_user)  # a copied cookie stops working too, not only this browser's
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("roadshows.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    profile = ProfileForm(obj=current_user, prefix="profile")
    if profile.validate_on_submit():
        current_user.name = profile.name.data.strip()
        current_user.phone = (profile.phone.data or "").strip() or None
        db.session.commit()
        flash(_("个人信息已保存。"), "success")
        return redirect(url_for(".account"))
    return render_template("accounts/account.html", profile=profile, password=PasswordForm(prefix="password"))


@bp.post("/account/password")
@login_required
def change_password():
    password = PasswordForm(prefix="password")
    password.personal_details = (current_user.email, current_user.name)
    if password.validate_on_submit():
        if current_user.check_password(password.current.data):
            current_user.set_password(password.password.data)
            services.end_sessions(current_user)  # other devices must log in with the new password
            db.session.commit()
            _start_session(current_user)
            flash(_("密码已修改，其他设备上的登录已失效。"), "success")
            return redirect(url_for(".account"))
        password.current.errors.append(_("当前密码不正确。"))
    profile = ProfileForm(obj=current_user, prefix="profile", formdata=None)
    return render_template("accounts/account.html", profile=profile, password=password), 400


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])  # per client address: no mail-bombing through this form
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.send_reset_link(form.email.data)
        db.session.commit()
        # The same answer whether or not the address is registered: no account discovery.
        flash(_("如果该邮箱已注册，我们已发送重置密码的链接，请在 1 小时内使用。"), "info")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = reset.user_for_reset_token(token)
    if user is None:
        flash(_("重置链接无效或已过期，请重新申请。"), "warning")
        return redirect(url_for(".forgot_password"))
    form = ResetPasswordForm()
    form.personal_details = (user.email, user.name)
    if form.validate_on_submit():
        reset.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("密码已重置，请用新密码登录。"), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/reset_password.html", form=form)
