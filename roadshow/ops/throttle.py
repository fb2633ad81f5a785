"""Login throttle: failed POST /login attempts limited per client IP and per account.

Limits come from LOGIN_LIMIT_PER_IP / LOGIN_LIMIT_PER_ACCOUNT and are counted in the limiter's
storage, so with RATELIMIT_STORAGE_URI=redis://... every server process shares one count.
"""
from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from ..common.error_pages import problem, wants_json
from ..extensions import limiter


def _account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()


def _failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects; only failures are counted


def _limit(config_key: str, key_func, scope: str):
    return limiter.limit(
        lambda: current_app.config[config_key], key_func=key_func, scope=scope,
        methods=["POST"], deduct_when=_failed,
    )


def throttle_login(view):
    """Decorator for the login view."""
    per_ip = _limit("LOGIN_LIMIT_PER_IP", get_remote_address, "login-ip")
    per_account = _limit("LOGIN_LIMIT_PER_ACCOUNT", _account_key, "login-account")
    return per_ip(per_account(view))


def too_many_requests(error: RateLimitExceeded):
    """429 with a message people can act on (the limiter adds Retry-After)."""
    minutes = -(-error.limit.limit.get_expiry() // 60)  # the limit's window, rounded up
    if request.endpoint == "accounts.login":
        message = _("登录失败次数过多，为保护账号安全，请 %(minutes)d 分钟后再试。", minutes=minutes)
    elif request.endpoint == "accounts.register":
        message = _("这个网络地址提交的注册太多，请 %(minutes)d 分钟后再试。", minutes=minutes)
    else:
        message = _("操作太频繁，请稍后再试。")
    if wants_json():
        return problem(429, "too_many_requests", message)
    return render_template("errors/error.html", status=429, message=message), 429
