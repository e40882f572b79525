"""The server's bridge from uvicorn's loop to the WSGI app: whole answers, in one hand-off."""

import asyncio

from kb.web.server import WholeAnswers


def call(app, method="GET", path="/", query=b"", body=b"", headers=()):
    """Ask ``app`` (ASGI) one request as uvicorn would; the messages it sent back."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
             "root_path": "", "headers": [(b"host", b"127.0.0.1:5000"), *headers],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 5000)}
    sent = []
    pieces = [body[i:i + 4] for i in range(0, len(body), 4)] or [b""]

    async def receive():
        piece = pieces.pop(0)
        return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def test_a_page_is_the_flask_apps_answer_sent_at_once(app, client):
    sent = call(WholeAnswers(app, threads=2), path="/search", query=b"q=GPU")
    start, body = sent
    assert start["type"] == "http.response.start" and start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"text/html; charset=utf-8"
    assert b"content-security-policy" in headers
    assert body == {"type": "http.response.body", "body": client.get("/search?q=GPU", headers={"Host": "127.0.0.1:5000"}).data}


def test_an_app_may_write_read_its_body_restart_its_answer_and_be_closed():
    closed = []

    class Parts(list):
        def close(self):
            closed.append(True)

    def wsgi(environ, start_response):
        length = int(environ["CONTENT_LENGTH"])
        read = environ["wsgi.input"].read(length)
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        write = start_response("201 Created", [("Content-Type", "text/plain"), ("X-Seen", "1")],
                               (None, None, None))
        write(b"got ")
        return Parts([read, b"!"])

    sent = call(WholeAnswers(wsgi, threads=1), "POST", body=b"a body in pieces",
                headers=[(b"content-length", b"16")])
    assert sent[0]["status"] == 201
    assert sent[0]["headers"] == [(b"content-type", b"text/plain"), (b"x-seen", b"1")]
    assert sent[1]["body"] == b"got a body in pieces!"
    assert closed == [True]


def test_lifespan_events_are_answered():
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(WholeAnswers(lambda environ, start: [], threads=1)(
        {"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
