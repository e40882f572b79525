"""Serve an app on gunicorn: worker processes with threads, warmed before they fork."""

import gc

from gunicorn.app.base import BaseApplication

from kb.web.service import get_service


class _Server(BaseApplication):
    """gunicorn, configured from a dict instead of its command line."""

    def __init__(self, app, options):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def warm(app):
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


def serve(app, host="127.0.0.1", port=5000, workers=2, threads=4):
    """Serve ``app`` until interrupted; forked workers inherit the warmed service."""
    warm(app)
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 30,
        "graceful_timeout": 5,
        "proc_name": "kb",
    }
    _Server(app, options).run()
