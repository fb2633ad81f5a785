"""The site's own address: every absolute URL the app writes, and which Host headers it answers.

A request's Host header is chosen by whoever sends it. Links built from it (`url_for(..., _external=True)`)
let an attacker have a password-reset email point at their own server. So an absolute URL — in an email,
a notification, an iCal feed, a page — is always PUBLIC_BASE_URL plus a path, built here, the same inside
and outside a request (jobs, the outbox). And requests naming a host that is not in TRUSTED_HOSTS are
refused before anything else runs (Flask, Socket.IO, static files).

tests/security/test_security_host.py fails when code elsewhere builds a URL from the request's host.
"""
from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

# What the test client, `make run` and servers started on loopback send; they build no link from it.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")

log = logging.getLogger(__name__)


def check_base_url(url: str) -> str:
    """PUBLIC_BASE_URL without its trailing slash; a clear error at start-up when it is not an origin."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"PUBLIC_BASE_URL must look like https://roadshow.example.org (scheme and host, "
                         f"optionally a port, nothing else), not {url!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def init_site_url(app: Flask) -> None:
    app.config["PUBLIC_BASE_URL"] = check_base_url(app.config["PUBLIC_BASE_URL"])
    base_host = urlsplit(app.config["PUBLIC_BASE_URL"]).hostname
    extra = app.config.get("TRUSTED_HOSTS")
    # Flask checks request.host against this list too; the middleware answers first, without a traceback.
    names = [base_host, *(LOOPBACK_HOSTS if extra is None else extra)]
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(name.strip().lower() for name in names))
    app.wsgi_app = RefuseForeignHosts(app.wsgi_app, app.config)


class RefuseForeignHosts:
    """WSGI middleware: a request whose Host is not trusted gets a plain 400 and reaches nothing else."""

    def __init__(self, wsgi_app, config):
        self.wsgi_app, self.config = wsgi_app, config

    def __call__(self, environ, start_response):
        if "HTTP_HOST" in environ:  # host names are case-insensitive; Flask's own check (same list) is not
            environ["HTTP_HOST"] = environ["HTTP_HOST"].lower()
        try:
            get_host(environ, trusted_hosts=self.config["TRUSTED_HOSTS"])
        except SecurityError:
            log.warning("refused a request for an unknown host", extra={"fields": {
                "host": environ.get("HTTP_HOST", "")[:200], "path": environ.get("PATH_INFO", "")[:200]}})
            return self._refuse(environ, start_response)
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _refuse(environ, start_response):
        detail = "This server does not answer for that host name. 本站不接受这个主机名的请求。"
        if environ.get("PATH_INFO", "").startswith("/api/"):
            body = json.dumps({"type": "about:blank", "status": 400, "code": "unknown_host", "title": detail,
                               "detail": detail}, ensure_ascii=False)
            content_type = "application/problem+json"
        else:
            body, content_type = detail, "text/plain; charset=utf-8"
        data = body.encode()
        start_response("400 BAD REQUEST", [
            ("Content-Type", content_type), ("Content-Length", str(len(data))),
            ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store"),
        ])
        return [data]


def public_base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def _adapter():
    parts = urlsplit(public_base_url())
    return current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme)


def _build(endpoint: str, values: dict, external: bool) -> str:
    values = dict(values)
    current_app.inject_url_defaults(endpoint, values)
    return _adapter().build(endpoint, values, force_external=external)


def site_path(endpoint: str, **values) -> str:
    """A page's path (`/sessions/5`), for links shown on the site; works without a request (jobs)."""
    return _build(endpoint, values, external=False)


def external_url(endpoint: str, **values) -> str:
    """A page's absolute URL on PUBLIC_BASE_URL, for links that leave the site (emails, feeds, copy-paste)."""
    return _build(endpoint, values, external=True)


def absolute(path: str) -> str:
    """A site path (e.g. a notification's link) as an absolute URL on PUBLIC_BASE_URL."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"not a path on this site: {path!r}")
    return public_base_url() + path


def local_referrer() -> str | None:
    """The path (and query) of the page the visitor came from, when it is on this site; else None."""
    parts = urlsplit(request.referrer or "")
    if not parts.netloc or parts.netloc != request.host:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//") or "\\" in parts.path:
        return None  # "//elsewhere" would redirect off the site
    return parts.path + (f"?{parts.query}" if parts.query else "")


def request_host() -> str:
    """The host this request was sent to: one of TRUSTED_HOSTS (others never get this far)."""
    return request.host.lower()
