"""Request ids and structured logs: one JSON line per request and per log record.

An `X-Request-ID` sent by the proxy or client is kept (when it looks like an id), else one is
generated; it is echoed in the response and carried by every log line written during the request.
"""
import json
import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request

ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
request_log = logging.getLogger("roadshow.request")


def request_id() -> str:
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if ACCEPTABLE_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = request_id()
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def install_json_logging(app: Flask) -> None:
    """JSON lines on stderr for the app's logger tree (once per process, however many apps)."""
    logger = logging.getLogger(app.import_name)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)  # Flask then adds no default handler of its own
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def init_request_log(app: Flask) -> None:
    install_json_logging(app)

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def log_request(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        started = g.get("request_started")  # unset when an earlier hook answered (e.g. a 429)
        fields = {
            "request_id": request_id(),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "remote": request.remote_addr,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        }
        request_log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": fields})
        return response
