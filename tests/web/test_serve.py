"""`kb serve`: builds a missing index first, and answers odd requests with the security headers."""

import resource
import socket
import subprocess
import sys
import urllib.request

import pytest

from kb.cli import main as kb_main
from kb.engine.store import IndexStore
from tests.conftest import kb_serve


def test_serve_builds_the_index_first_when_there_is_none(tmp_path, monkeypatch, topics_file):
    served = {}

    def fake_serve(app, host, port, workers, threads):
        served.update(app=app, host=host, port=port, workers=workers, threads=threads)

    monkeypatch.setattr("kb.web.server.serve", fake_serve)
    index = tmp_path / "index"
    assert kb_main(["serve", "--index", str(index), "--topics", str(topics_file),
                    "--port", "5999"]) == 0
    assert IndexStore(index).exists()
    assert (served["host"], served["port"], served["workers"], served["threads"]) == (
        "127.0.0.1", 5999, 2, 4)
    client = served["app"].test_client()
    assert client.get("/api/events").get_json()["events"][0]["id"] == "decode-2020"


def test_flask_cli_finds_the_app_factory(monkeypatch, web_index):
    from flask.cli import ScriptInfo

    monkeypatch.setenv("KB_INDEX_DIR", str(web_index))
    app = ScriptInfo(app_import_path="kb.web").load_app()
    assert app.test_client().get("/").status_code == 200


# -- odd requests against a real `kb serve` on loopback ----------------------------------

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options")


@pytest.fixture(scope="module")
def served(tmp_path_factory, web_index, topics_file):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with kb_serve(web_index, topics_file, log) as base:
        yield base, log


def raw_request(base, data):
    """Send ``data`` as it is and read the answer: (status, lower-cased headers, body)."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines))
    return int(status_line.split()[1]), headers, body.decode("utf-8", "replace")


@pytest.mark.parametrize("data", [
    b"NOT HTTP AT ALL\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\x00b\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),  # TLS to a plain-HTTP port
], ids=["garbage", "nul-in-header", "two-hosts", "tls-hello"])
def test_what_the_server_answers_itself_carries_the_security_headers(served, data):
    status, headers, body = raw_request(served[0], data)
    assert status == 400
    assert all(name in headers for name in SECURITY_HEADERS), headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "Traceback" not in body


@pytest.mark.parametrize("host", [b"a" * 64 + b".example.com", b"xn--a.example.com", b"[::1"])
def test_a_host_that_is_no_host_name_answers_the_apps_400_page(served, host):
    base, log = served
    status, headers, body = raw_request(
        base, b"GET /search?q=GPU HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
    assert status == 400
    assert all(name in headers for name in SECURITY_HEADERS), headers
    assert "リクエストを処理できません" in body
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_request_with_a_huge_url_is_answered_by_the_app(served):
    status, headers, body = raw_request(
        served[0], b"GET /search?q=" + b"%E6%A4%9C" * 3000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Connection: close\r\n\r\n")
    assert status == 200 and "content-security-policy" in headers
    assert "the query was cut to its first 500 characters" in body


def test_serve_lets_itself_open_as_many_files_as_it_may():
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    script = ("import resource; from kb.web.server import raise_open_files; raise_open_files(); "
              "print(*resource.getrlimit(resource.RLIMIT_NOFILE))")
    # a soft limit below the hard one, as most systems start a process with
    lowered = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard)))
    assert lowered.stdout.split() == [str(hard), str(hard)]


def test_the_base_url_and_site_name_options_reach_every_absolute_link(tmp_path, web_index,
                                                                      topics_file):
    options = ("--base-url", "https://kb.example.com/notes/", "--site-name", "ノート庫")
    with kb_serve(web_index, topics_file, tmp_path / "serve.log", workers=1,
                  options=options) as base:
        feed = urllib.request.urlopen(base + "/feed.atom", timeout=30).read().decode()
        page = urllib.request.urlopen(base + "/", timeout=30).read().decode()
    assert 'href="https://kb.example.com/notes/' in feed and base not in feed
    assert "ノート庫" in page
