"""Serve an app on gunicorn: worker processes that read requests in an event loop.

Each worker runs uvicorn's event loop (uvicorn-worker): a slow or idle client
costs the loop a socket and a few kilobytes, never a thread, and only a
request that has fully arrived goes to one of the worker's threads, where
the Flask app answers it (:class:`WholeAnswers`). gunicorn's threaded workers
give each connection a thread while its headers trickle in, so eight slow
clients stopped the site.
"""

import asyncio
import contextlib
import contextvars
import gc
import resource
from concurrent.futures import ThreadPoolExecutor

import h11
from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi import Body, build_environ
from gunicorn.app.base import BaseApplication
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker

from kb.web.security import security_headers
from kb.web.service import get_service

KEEPALIVE = 5  # seconds an idle kept-alive connection stays open


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol; the 400 it writes itself carries the site's security headers.

    uvicorn answers a request it cannot parse (a malformed request line or
    header, a head past h11's 16 KB) without asking the app.
    """

    def send_400_response(self, msg: str) -> None:
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close"),
                   *security_headers()]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=msg.encode("ascii", "replace")), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


class Worker(UvicornWorker):
    """A gunicorn worker process running uvicorn's loop with the guarded protocol."""

    # uvloop where it is installed (not on Windows): its loop hands answers over
    # from the threads and writes them to sockets in C
    CONFIG_KWARGS = {"loop": "auto", "http": GuardedH11Protocol, "server_header": False}


class WholeAnswers:
    """ASGI app that answers each HTTP request with a WSGI app run in a thread, in one hand-off.

    a2wsgi's WSGIMiddleware hands each part of an answer (status and headers,
    every body chunk, the end) back to the event loop on its own and waits for
    the loop to take it: four round trips between threads per page, each
    waiting for the interpreter lock that the other threads' searches hold.
    kb's answers are whole pages in memory, so the thread makes the whole
    answer and the loop sends it at once. A request body is still read from
    the loop as the app asks for it (a2wsgi's Body).
    """

    def __init__(self, app, threads: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(thread_name_prefix="WSGI", max_workers=threads)
        self.others = WSGIMiddleware(app, workers=1)  # lifespan and websocket scopes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.others(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        environ = build_environ(scope, Body(loop, receive))
        run = contextvars.copy_context().run
        status, headers, body = await loop.run_in_executor(self.executor, run, self.answer, environ)
        await send({"type": "http.response.start", "status": int(status.split(" ", 1)[0]),
                    "headers": [(name.strip().encode("latin-1").lower(),
                                 value.strip().encode("latin-1")) for name, value in headers]})
        await send({"type": "http.response.body", "body": body})

    def answer(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
        """(status, headers, body) of the WSGI app's answer to ``environ``, in this thread."""
        started: list = []
        chunks: list[bytes] = []

        def start_response(status, headers, exc_info=None):
            # nothing is sent before the answer is whole: a second call replaces the first
            started[:] = (status, headers)
            return chunks.append

        parts = self.app(environ, start_response)
        try:
            chunks.extend(parts)
        finally:
            if hasattr(parts, "close"):
                parts.close()
        return started[0], started[1], b"".join(chunks)


class _Server(BaseApplication):
    """gunicorn, configured from a dict instead of its command line."""

    def __init__(self, app, options, threads) -> None:
        self.application = app
        self.options = options
        self.threads = threads
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WholeAnswers:  # an ASGI app: uvicorn-worker runs it
        # called in each worker after the fork: the threads are the worker's own
        return WholeAnswers(self.application, self.threads)


def warm(app) -> None:
    """Open the index and compute what one generation shares, so the first answer is quick."""
    with app.app_context():
        get_service().warm()
    # What the warm-up built lives as long as the process: keep the collector
    # from scanning it, and from writing to the pages forked workers share.
    gc.collect()
    gc.freeze()
    # Full collections go over every remembered answer (some 100,000 objects
    # at 10k sessions, 50 ms during which the worker answers nobody): run them
    # a hundred times less often. What a request leaves behind is freed by
    # reference counting; only cycles wait for them.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1000)


def raise_open_files() -> None:
    """Let the process open as many files as it may: every waiting client holds one.

    The soft limit is often 1,024 while the hard one is far higher (524,288
    under systemd); a worker at its limit stops accepting connections.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        # macOS says unlimited but refuses it: the soft limit then stays
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def serve(app, host="127.0.0.1", port=5000, workers=2, threads=4) -> None:
    """Serve ``app`` until interrupted; forked workers inherit the warmed service."""
    raise_open_files()
    warm(app)
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": Worker,
        "keepalive": KEEPALIVE,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 30,
        "graceful_timeout": 5,
        "proc_name": "kb",
    }
    _Server(app, options, threads).run()
