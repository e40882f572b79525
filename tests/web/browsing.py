"""What the browser tests share: Chromium, `kb serve`, pages at a width and scheme, a blog.

A test module imports what it uses (``from tests.web.browsing import *`` brings the
fixtures) after calling :func:`require_browser`, which skips the module with the
reason when Debian's chromium or Playwright's package is missing.
"""

import http.server
import os
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import kb_serve

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE, DESKTOP = 390, 1280


def require_browser():
    """Playwright's sync API; skips the calling module when there is no browser to drive."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                    "(apt-get install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api",
                               reason="browser tests need the playwright package (pip install -e '.[test]')")


def japanese_fonts():
    """Families of the installed fonts that cover Japanese (fontconfig's list)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True,
                                text=True, check=False).stdout
    except OSError:
        return set()
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


def shoot(page, name):
    """A full-page screenshot into tests/screenshots/ (not committed), to be looked at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture(scope="module")
def server(web_index, topics_file, tmp_path_factory):
    """`kb serve` on a free port, as a reader would start it."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    # how soon it answers is measured by `make bench`, not asserted on a shared machine
    with kb_serve(web_index, topics_file, log, workers=1) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """open_page(width, scheme, javascript=True): a new page; none may raise a script error."""
    contexts, errors = [], []

    def open_(width=DESKTOP, scheme="light", javascript=True, height=900):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme=scheme, locale="ja-JP",
                                      java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"),
                                          dialog.dismiss()))
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture(scope="module")
def blog_site():
    """Another site (another port) for blog posts: ``publish(html)`` answers its URL."""
    posts = {}

    class Post(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = posts.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Post)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def publish(html):
        path = f"/entry/{len(posts) + 1}"
        posts[path] = ('<!doctype html><meta charset="utf-8"><meta name="viewport" '
                       'content="width=device-width, initial-scale=1">' + html).encode()
        return f"http://127.0.0.1:{httpd.server_address[1]}{path}"

    yield publish
    httpd.shutdown()
    httpd.server_close()
    thread.join()
