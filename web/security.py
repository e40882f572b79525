"""What keeps pages from being sniffed, leaked or framed, and bad hosts out of URLs.

Every answer carries the same security headers: the app's pages, its error
pages, and what the server writes by itself (see :mod:`kb.web.server`). A
request whose Host header names no host gets the app's own 400 page before
any view sees it, so no absolute URL is ever built from such a header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
import re

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import BadHost

EMBED_ENDPOINTS = frozenset({"pages.embed"})

# environ key under which HostGuard keeps a Host header it refused
REFUSED_HOST = "kb.refused_host"
_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")
_PORT = re.compile(r"[0-9]{0,5}")


def content_security_policy(frame_ancestors: str) -> str:
    """The policy: our own scripts and styles only; note images may come from anywhere."""
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https: http:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ))


def security_headers(frame_ancestors: str | None = None) -> list[tuple[str, str]]:
    """The headers of every answer; ``frame_ancestors`` None: only the site may frame it."""
    headers = [
        ("Content-Security-Policy", content_security_policy(frame_ancestors or "'self'")),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
    if frame_ancestors is None:
        headers.append(("X-Frame-Options", "SAMEORIGIN"))
    return headers


def set_headers(response) -> Response:
    """Give a response the security headers; only an embed may be framed by other sites."""
    embed = request.endpoint in EMBED_ENDPOINTS
    ancestors = current_app.config["FRAME_ANCESTORS"] if embed else None
    for name, value in security_headers(ancestors):
        response.headers.setdefault(name, value)
    return response


def _host_name(name: str) -> bool:
    if name.endswith("."):  # the root label: a fully qualified name
        name = name[:-1]
    if not name or len(name) > 253:
        return False
    labels = name.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return False
    try:  # an A-label (xn--…) must decode, as absolute URLs will decode it
        name.encode("ascii").decode("idna")
    except UnicodeError:
        return False
    return True


def valid_host(value: str) -> bool:
    """Whether a Host header names a host (DNS name, IPv4 or [IPv6]) with an optional port.

    Only such a host may go into an absolute URL: a DNS label is at most 63
    characters, a name 253, a port at most 65535.
    """
    if not value.isascii():
        return False
    if value.startswith("["):
        address, bracket, port = value[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            return False
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return False
        port = port[1:]
    else:
        name, _, port = value.partition(":")
        if not _host_name(name):
            return False
    return bool(_PORT.fullmatch(port)) and (not port or int(port) <= 65535)


class InvalidHost(BadHost):
    """400: the Host header names no host."""

    description = "The Host header does not name a host."


class HostGuard:
    """WSGI middleware: a request with an invalid Host header goes on as if it had sent none.

    The app then answers it 400 (see :func:`refuse_invalid_host`) with its own
    page; werkzeug would otherwise fail to build any URL for it and the error
    page itself would fail.
    """

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if host and not valid_host(host):
            environ = {key: value for key, value in environ.items() if key != "HTTP_HOST"}
            environ[REFUSED_HOST] = host
        return self.app(environ, start_response)


def refuse_invalid_host() -> None:
    """Answer 400 to a request whose Host header HostGuard refused."""
    if REFUSED_HOST in request.environ:
        raise InvalidHost()


def init_app(app: Flask) -> None:
    """Refuse invalid hosts first, and give every answer the security headers."""
    app.wsgi_app = HostGuard(app.wsgi_app)  # type: ignore[method-assign]  # Flask's way to wrap
    app.before_request(refuse_invalid_host)
    app.after_request(set_headers)
