"""The site reads and never writes, sends its security headers everywhere, echoes
nothing live, and answers odd or hostile ids with 404.

Every route is covered through ``app.url_map``: a new route without an example
URL here fails the first test, so it cannot slip past the others.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from kb.cli import main as kb_main

WRITING = ("POST", "PUT", "PATCH", "DELETE")
READING = {"GET", "HEAD", "OPTIONS"}

# One URL per endpoint that answers 200.
EXAMPLES = {
    "static": "/static/app.js",
    "pages.search": "/search?q=GPU",
    "pages.events": "/events/",
    "pages.event": "/events/evil-con-2021",
    "pages.session": "/events/" + quote("gpu-night-2019/推論サーバーの作り方"),
    "pages.topics": "/topics/",
    "pages.topic": "/topics/gpu",
    "pages.embed": "/embed?topic=gpu",
    "feeds.atom": "/feed.atom",
    "feeds.opensearch": "/opensearch.xml",
    "api.search": "/api/search?q=GPU",
    "api.events": "/api/events",
    "api.event": "/api/events/evil-con-2021",
    "api.session": "/api/sessions/" + quote("gpu-night-2019/推論サーバーの作り方"),
    "api.topics": "/api/topics",
    "api.suggest": "/api/suggest?q=GPU",
}
# Answers that are not 200: they need the headers just as much.
ERRORS = ["/no-such-page", "/events/nope", "/search?page=0", "/api/search?year=abc",
          "/api/events/nope", "/topics/nope"]
HOSTILE = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
           "</title><svg onload=alert(1)>", "' onmouseover='alert(1)", "javascript:alert(1)"]


class LiveMarkup(HTMLParser):
    """Collects what in a page would run or render: tags, handlers, styles, script URLs."""

    DANGEROUS_TAGS = {"iframe", "frame", "object", "embed", "style", "base", "form", "svg",
                      "math", "link", "meta"}
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {attrs}>")
        if tag in self.DANGEROUS_TAGS and tag not in self.ours(tag, attrs):
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
            folded = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name in self.URL_ATTRIBUTES and folded.startswith(("javascript:", "data:",
                                                                  "vbscript:")):
                self.found.append(f"<{tag} {name}={value!r}>")

    @staticmethod
    def ours(tag, attrs):
        """The site's own uses of these tags: head links and metas, the search form, charts."""
        if tag in ("link", "meta") or (tag == "form" and attrs.get("action", "").startswith("/")):
            return {tag}
        if tag == "svg" and (attrs.get("class") or "") in ("bar-chart", "facet-bar"):
            return {tag}
        return set()


def live_markup(body):
    """What in ``body`` would run or render as markup the site did not write itself."""
    parser = LiveMarkup()
    parser.feed(body)
    parser.close()
    return parser.found


def snapshot(folder):
    """Every file under ``folder`` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in Path(folder).rglob("*")}


def csp(response):
    return dict(part.strip().split(" ", 1)
                for part in response.headers["Content-Security-Policy"].split(";"))


def test_every_route_only_reads_and_has_an_example(app):
    endpoints = set()
    for rule in app.url_map.iter_rules():
        assert rule.methods <= READING, f"{rule.rule} accepts {rule.methods - READING}"
        endpoints.add(rule.endpoint)
    assert endpoints == set(EXAMPLES)


def test_examples_answer(app):
    client = app.test_client()
    for endpoint, url in EXAMPLES.items():
        with client.get(url) as response:
            assert response.status_code == 200, endpoint


@pytest.mark.parametrize("method", WRITING)
def test_writing_methods_are_refused_and_change_nothing(app, web_index, method):
    before = snapshot(web_index)
    client = app.test_client()
    for url in EXAMPLES.values():
        with client.open(url, method=method, data={"q": "x", "id": "../../etc"}) as response:
            response.get_data()
        assert response.status_code == 405, (method, url)
        assert method not in response.headers["Allow"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        if url.startswith("/api/"):
            assert response.get_json()["status"] == 405
    assert snapshot(web_index) == before


@pytest.mark.parametrize("url", [*EXAMPLES.values(), *ERRORS])
def test_security_headers_on_every_answer(app, url):
    with app.test_client().get(url) as response:
        response.get_data()
    policy = csp(response)
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if url.startswith("/embed"):
        assert policy["frame-ancestors"] == "*"  # a blog may frame the embed
        assert "X-Frame-Options" not in response.headers
    else:
        assert policy["frame-ancestors"] == "'self'"
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("url", [
    "/events/../../etc/passwd", "/events/..%2F..%2Fetc%2Fpasswd", "/events/%2e%2e/%2e%2e",
    "/events/decode-2020%2F..%2F..%2Fkb-index.json", "/events/decode-2020/..%2F..%2Fx",
    "/events/" + "a" * 3000, "/events/decode-2020/" + "b" * 3000, "/events/%00",
    "/events/decode-2020%00", "/topics/..%2F..%2Fetc", "/topics/" + "x" * 3000,
    "/api/events/..%2F", "/api/sessions/%2e%2e/%2e%2e", "/api/sessions/decode-2020/..%2F..%2Fx",
    "/api/sessions/decode-2020/" + "c" * 3000, "/static/../kb/cli.py",
    "/static/..%2F..%2Fpyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/events/" + quote("decode-2020/../decode-2020"), "/events/DECODE-2020",
])
def test_unknown_and_traversal_like_ids_are_404(app, url):
    with app.test_client().get(url) as response:
        body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "[build-system]" not in body and "root:" not in body and "import" not in body


@pytest.mark.parametrize("template", [
    "/search?q={}", "/search?topic={}", "/search?event={}", "/search?year={}",
    "/search?sort={}", "/search?page={}", "/events/{}", "/events/decode-2020/{}", "/topics/{}",
    "/embed?q={}", "/feed.atom?q={}", "/api/search?topic={}", "/api/events/{}",
])
def test_echoed_values_are_escaped(app, template):
    client = app.test_client()
    for value in HOSTILE:
        response = client.get(template.format(quote(value, safe="")))
        assert response.status_code in (200, 400, 404)
        body = response.get_data(as_text=True)
        if response.mimetype == "application/json":
            assert response.get_json() is not None  # data, not markup; nosniff keeps it so
            continue
        if "<" in value:
            assert value not in body
        assert live_markup(body) == [], (template, value)


@pytest.mark.parametrize("url", ["/events/" + quote("evil-con-2021/危険なタイトル"),
                                 "/events/evil-con-2021", "/search?q=" + quote("覆い"),
                                 "/embed?q=" + quote("覆い"), "/feed.atom?event=evil-con-2021",
                                 "/", "/topics/"])
def test_note_html_css_and_frames_stay_text(client, url):
    body = client.get(url).get_data(as_text=True)
    assert live_markup(body) == [], url


def test_kb_serve_never_runs_in_debug_mode(tmp_path, monkeypatch, web_index, topics_file):
    served = {}
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setattr("kb.web.server.serve", lambda app, *args, **kwargs: served.update(app=app))
    assert kb_main(["serve", "--index", str(web_index), "--topics", str(topics_file)]) == 0
    assert served["app"].debug is False
