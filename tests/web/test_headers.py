"""Security headers: CSP without inline script, nosniff, referrer policy, framing; odd hosts."""

import logging

import pytest
from werkzeug.test import Client

from kb.web import create_app
from kb.web.errors import LastResort
from kb.web.security import valid_host

PAGES = ["/", "/search?q=GPU", "/events/", "/events/decode-2020", "/topics/", "/topics/gpu",
         "/api/search", "/feed.atom", "/opensearch.xml", "/no-such-page"]


def policy(response):
    return dict(part.strip().split(" ", 1)
                for part in response.headers["Content-Security-Policy"].split(";"))


@pytest.mark.parametrize("url", PAGES)
def test_every_response_has_the_security_headers(client, url):
    response = client.get(url)
    csp = policy(response)
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_embed_may_be_framed_by_any_site_by_default(client):
    response = client.get("/embed?topic=gpu")
    assert policy(response)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_embed_framing_is_configurable(web_index, web_topics):
    app = create_app({"TESTING": True, "KB_INDEX_DIR": str(web_index),
                      "KB_TAXONOMY": web_topics[0],
                      "FRAME_ANCESTORS": "'self' https://*.hatenablog.com"})
    try:
        response = app.test_client().get("/embed")
        assert policy(response)["frame-ancestors"] == "'self' https://*.hatenablog.com"
        assert policy(app.test_client().get("/"))["frame-ancestors"] == "'self'"
    finally:
        app.extensions["kb"].close()


def test_pages_have_no_inline_script_or_style(client):
    for url in ["/", "/search?q=GPU&topic=gpu", "/topics/gpu", "/embed"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_no_index_is_an_empty_state_not_a_traceback(tmp_path, web_topics):
    app = create_app({"TESTING": True, "KB_INDEX_DIR": str(tmp_path / "none"),
                      "KB_TAXONOMY": web_topics[0]})
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200 and "kb index" in page.get_data(as_text=True)
    assert page.headers["Content-Security-Policy"]
    assert client.get("/api/search").get_json()["total"] == 0


# -- odd Host headers --------------------------------------------------------------

LABEL_64 = "a" * 64 + ".example.com"
BAD_HOSTS = [LABEL_64, "a" * 254, "exa mple.com", "a..b", "-a.example.com", "example.com:99999",
             "example.com:http", "[::1", "[not-an-address]:80", "例え.jp", "ex<a>mple.com",
             "%41.example.com", "example.com,other.example"]
GOOD_HOSTS = ["localhost", "localhost:5000", "127.0.0.1:8080", "[::1]:5000", "kb.example.com",
              "kb.example.com.", "xn--r8jz45g.jp", "my_service:80", "a" * 63 + ".example.com"]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_header_that_names_no_host_gets_the_apps_400_page(client, host):
    response = client.get("/search?q=GPU", headers={"Host": host})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "リクエストを処理できません" in page and "Traceback" not in page
    assert policy(response)["frame-ancestors"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["/", "/feed.atom", "/opensearch.xml", "/embed", "/static/style.css",
                                 "/events/decode-2020", "/no-such-page"])
def test_every_page_refuses_a_64_character_label(client, url):
    response = client.get(url, headers={"Host": LABEL_64})
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


def test_the_api_refuses_a_bad_host_in_json(client):
    response = client.get("/api/search?q=GPU", headers={"Host": LABEL_64})
    assert response.status_code == 400
    assert response.get_json() == {"error": "The Host header does not name a host.", "status": 400}
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", GOOD_HOSTS)
def test_a_valid_host_is_served(client, host):
    assert client.get("/search?q=GPU", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host,valid", [(h, False) for h in BAD_HOSTS + ["xn--a.com", "", ":80"]]
                         + [(h, True) for h in GOOD_HOSTS])
def test_valid_host(host, valid):
    assert valid_host(host) is valid


# -- the last resort -------------------------------------------------------------------

def test_an_error_that_escapes_the_handlers_still_answers_500_with_the_headers(caplog):
    def failing_app(environ, start_response):
        raise RuntimeError("the error page itself failed")

    app = LastResort(failing_app, logging.getLogger("kb.test"))
    with caplog.at_level(logging.ERROR, logger="kb.test"):
        response = Client(app).get("/anything")
    assert response.status_code == 500
    assert response.get_data(as_text=True) == "500 Internal Server Error\n"
    assert policy(response)["script-src"] == "'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "the error page itself failed" in caplog.text
