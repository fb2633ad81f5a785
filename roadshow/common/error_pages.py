"""Error pages for people and JSON problem details for API clients; never a traceback."""
import sqlalchemy as sa
from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..i18n.formatting import format_file_size
from .bounds import MAX_JSON_DEPTH, json_too_deep
from .db import discard_session


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, code: str, detail: str, **extra):
    """An RFC 9457 problem-details response."""
    body = {"type": "about:blank", "status": status, "code": code, "title": detail, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


MESSAGES = {
    400: lambda: _("请求无效。"),
    403: lambda: _("您没有权限访问这个页面。"),
    404: lambda: _("页面不存在，或已被删除。"),
    405: lambda: _("不支持这种请求方式。"),
    413: lambda: _("上传的文件太大（上限 %(limit)s）。", limit=format_file_size(current_app.config["MAX_DECK_BYTES"])),
    429: lambda: _("操作太频繁，请稍后再试。"),
    500: lambda: _("服务器出错了，我们已记录这个问题。请稍后再试。"),
    503: lambda: _("服务暂时不可用（数据库连接中断），您的操作没有保存。请稍后重试。"),
}
RETRY_AFTER_SECONDS = 5  # a database restart takes seconds; the pool reconnects on its own (pool_pre_ping)


def field_errors(error: HTTPException) -> dict[str, list[str]]:
    """webargs puts {location: {field: [messages]}} in error.data; clients want {field: [messages]}."""
    messages = (getattr(error, "data", None) or {}).get("messages", {})
    flat: dict[str, list[str]] = {}
    for fields in messages.values():
        for name, texts in fields.items():
            flat[name] = [str(t) for t in texts] if isinstance(texts, list) else [str(texts)]
    return flat


def _render(status: int, message: str, code: str):
    if wants_json():
        return problem(status, code, message)
    return render_template("errors/error.html", status=status, message=message), status


def init_error_pages(app: Flask) -> None:
    @app.before_request
    def refuse_deeply_nested_json():
        """Before anything parses the body (webargs, Flask-WTF's JSON form data): Python's parser
        raises RecursionError near 1,000 levels, which would end in a 500."""
        if request.is_json and json_too_deep(request.get_data(cache=True)):
            return _render(400, _("JSON 嵌套超过 %(limit)d 层，请求无法处理。", limit=MAX_JSON_DEPTH), "json_too_deep")
        return None

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _render(400, _("表单已过期或缺少安全校验，请刷新页面后重试。"), "csrf_failed")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if wants_json() and status == 422:  # webargs validation: say which field and why
            return problem(422, "validation_failed", _("请求数据没有通过校验。"), errors=field_errors(error))
        # abort(400, _("...")) words its own message for the user; otherwise the status's standard one
        explicit = "description" in vars(error)
        message = error.description if explicit else MESSAGES.get(status, lambda: error.description)()
        response = _render(status, message, (error.name or "error").lower().replace(" ", "_"))
        if isinstance(response, tuple):
            return response
        response.headers.extend(h for h in error.get_headers() if h[0].lower() != "content-type")
        return response

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.PendingRollbackError)
    def database_unavailable(error: sa.exc.SQLAlchemyError):
        """The database went away (restart, network) or refused a connection: the transaction is rolled back
        whole, and the user is told to retry. The page is built without the database (no navigation).
        PendingRollbackError is the same outage met a second time: a session whose connection died and was not
        yet rolled back (seen on gevent servers while PostgreSQL restarted); the rollback here clears it."""
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            discard_session()  # the connection is dead: the pool replaces it
        app.logger.warning("database unavailable on %s %s: %s", request.method, request.path,
                           type(getattr(error, "orig", None) or error).__name__)
        message = MESSAGES[503]()
        if wants_json():
            response = problem(503, "database_unavailable", message)
        else:
            response = current_app.make_response((render_template("errors/unavailable.html", message=message), 503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()  # nothing half-written survives a crash
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500, MESSAGES[500](), "internal_server_error")
