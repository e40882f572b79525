"""One error handler: JSON under /api/, an HTML page elsewhere, never a traceback.

:class:`LastResort` wraps the whole app: an error that escapes even the
handlers (an error page that fails to render) is still answered with a
plain 500 that carries the security headers, instead of the server's own.
"""

from collections.abc import Iterable

from flask import current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from kb.errors import KbError, QueryError
from kb.web.links import Meta
from kb.web.security import security_headers

TITLES = {400: "リクエストを処理できません", 404: "ページが見つかりません",
          405: "この方法では使えません", 503: "いまは検索できません"}
MESSAGES = {400: "リクエストの形が正しくありません。URLを確かめてください。",
            404: "お探しのページはありません。URLを確かめるか、検索してみてください。",
            500: "サーバーで問題が起きました。しばらくしてからもう一度お試しください。"}
LAST_RESORT_BODY = b"500 Internal Server Error\n"


def _answer(status, message, parameter=None):
    if request.path.startswith("/api/"):
        body = {"error": message, "status": status}
        if parameter:
            body["parameter"] = parameter
        return jsonify(body), status
    title = TITLES.get(status, "エラー")
    return render_template("error.html", status=status, title=title, message=message,
                           meta=Meta(title)), status


def handle_http(error) -> ResponseReturnValue:
    status = error.code or 500
    message = error.description or error.name
    if message == type(error).description and not request.path.startswith("/api/"):
        message = MESSAGES.get(status, message)
    body, status = _answer(status, message)
    # a 405 must name the methods that do work (GET, HEAD, OPTIONS)
    methods = getattr(error, "valid_methods", None)
    return body, status, {"Allow": ", ".join(methods)} if methods else {}


def handle_query(error) -> ResponseReturnValue:
    return _answer(400, str(error), error.parameter)


def handle_unavailable(error) -> ResponseReturnValue:
    return _answer(503, str(error))


def handle_unexpected(error) -> ResponseReturnValue:
    if isinstance(error, HTTPException):
        return handle_http(error)
    current_app.logger.exception("unexpected error on %s", request.path)
    return _answer(500, MESSAGES[500] if not request.path.startswith("/api/")
                   else InternalServerError.description)


class LastResort:
    """WSGI middleware: what escapes the app's handlers answers a plain 500, headers and all."""

    def __init__(self, app, logger) -> None:
        self.app = app
        self.logger = logger

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        try:
            return self.app(environ, start_response)
        except Exception:
            self.logger.exception("error page failed on %s", environ.get("PATH_INFO"))
            headers = [("Content-Type", "text/plain; charset=utf-8"),
                       ("Content-Length", str(len(LAST_RESORT_BODY))), *security_headers()]
            # Flask starts its answer only once it has one: none was started
            start_response("500 Internal Server Error", headers)
            return [LAST_RESORT_BODY]


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(QueryError, handle_query)
    app.register_error_handler(KbError, handle_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
    app.wsgi_app = LastResort(app.wsgi_app, app.logger)
