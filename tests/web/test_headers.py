"""Security headers: CSP without inline script, nosniff, referrer policy, framing."""

import pytest

from kb.web import create_app

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
