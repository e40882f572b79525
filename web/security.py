"""Response headers that keep pages from being sniffed, leaked or framed."""

from flask import current_app, request

EMBED_ENDPOINTS = frozenset({"pages.embed"})


def content_security_policy(frame_ancestors):
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


def set_headers(response):
    headers = response.headers
    embed = request.endpoint in EMBED_ENDPOINTS
    ancestors = current_app.config["FRAME_ANCESTORS"] if embed else "'self'"
    headers.setdefault("Content-Security-Policy", content_security_policy(ancestors))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not embed:
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def init_app(app):
    app.after_request(set_headers)
