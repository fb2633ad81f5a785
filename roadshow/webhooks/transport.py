"""POST one delivery to a partner's URL, refusing destinations inside our own network (SSRF).

The host is resolved here and every address it resolves to is checked: loopback, private,
link-local (cloud metadata at 169.254.169.254), shared, reserved and multicast addresses are refused
unless WEBHOOK_ALLOW_PRIVATE is set (tests, a partner inside the same network on purpose). The
connection then goes to the checked address itself, so a second DNS answer cannot swap it (DNS
rebinding); TLS still verifies the certificate against the host name. Redirects are never followed:
a 3xx is a failed attempt, as the redirect's target was never checked.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ..common.errors import FieldRuleViolation


class UnsafeDestination(Exception):
    """The URL may not be called; str() says why (kept in the delivery log)."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    target: str  # path and query


def parse_url(url: str, *, allow_http: bool) -> Destination:
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UnsafeDestination(_("地址中不能有空白或控制字符。"))
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise UnsafeDestination(_("地址格式无效。")) from None
    allowed = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeDestination(_("只接受 https:// 地址。") if not allow_http else _("只接受 http:// 或 https:// 地址。"))
    if not host or parts.username or parts.password:
        raise UnsafeDestination(_("地址须包含主机名，且不能带用户名或密码。"))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), target)


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def check_literal_host(url: str) -> None:
    """At registration, without DNS: the scheme, and a host that is plainly internal (an address or localhost)."""
    config = current_app.config
    try:
        destination = parse_url(url, allow_http=config["WEBHOOK_ALLOW_HTTP"])
    except UnsafeDestination as exc:
        raise FieldRuleViolation("url", str(exc)) from None
    if config["WEBHOOK_ALLOW_PRIVATE"]:
        return
    host = destination.host.lower().rstrip(".")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if host == "localhost" or host.endswith(".localhost") or (literal is not None and _refused(literal)):
        raise FieldRuleViolation("url", _("不能使用本机或内网地址。"))


def resolve_checked(destination: Destination) -> list[str]:
    """Every address the host resolves to, all of them allowed; UnsafeDestination otherwise."""
    try:
        infos = socket.getaddrinfo(destination.host, destination.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeDestination(_("无法解析主机名：%(error)s", error=exc)) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not current_app.config["WEBHOOK_ALLOW_PRIVATE"]:
        for text in addresses:
            if _refused(ipaddress.ip_address(text.split("%")[0])):
                raise UnsafeDestination(_("%(host)s 解析到内网或保留地址 %(address)s，已拒绝。",
                                          host=destination.host, address=text))
    if not addresses:
        raise UnsafeDestination(_("无法解析主机名。"))
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, address: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, address: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str | None


def post(url: str, body: bytes, headers: dict) -> Outcome:
    """One attempt. Never raises for the partner's failures: they are the outcome."""
    config = current_app.config
    try:
        destination = parse_url(url, allow_http=config["WEBHOOK_ALLOW_HTTP"])
        address = resolve_checked(destination)[0]
    except UnsafeDestination as exc:
        return Outcome(False, None, str(exc))
    timeout = config["WEBHOOK_TIMEOUT"]
    if destination.scheme == "https":
        connection = _PinnedHTTPSConnection(address, destination.host, destination.port, timeout=timeout,
                                            context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(address, destination.host, destination.port, timeout=timeout)
    try:
        connection.request("POST", destination.target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # a little of the answer, so the connection closes cleanly; never more
    except (OSError, ValueError, http.client.HTTPException) as exc:  # ValueError: http.client's InvalidURL
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Outcome(True, response.status, None)
    if 300 <= response.status < 400:
        return Outcome(False, response.status, _("收到重定向（%(status)d），不跟随。", status=response.status))
    return Outcome(False, response.status, _("接收方返回 %(status)d", status=response.status))
