"""Security headers on every response (Flask-Talisman): a CSP with no inline script or style,
nosniff, no framing, and Secure cookies + HSTS when the site is served over HTTPS (SECURE_COOKIES)."""
from flask import Flask
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    # hls.js plays through Media Source Extensions: the <video> gets a blob: URL of its MediaSource.
    # Nothing else: pdf.js and hls.js run their workers from 'self' or not at all (enableWorker: false).
    "media-src": "'self' blob:",
    "font-src": "'self'",
    "connect-src": "'self'",  # includes same-origin ws:/wss: for Socket.IO
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


def init_security_headers(app: Flask) -> None:
    secure = app.config["SECURE_COOKIES"]
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the proxy (nginx); redirecting here would loop behind it
        strict_transport_security=secure,
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
    )
    if secure:
        app.config.update(REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
