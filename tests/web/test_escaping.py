"""Queries and notes are shown as text: nothing a note or a URL holds runs or links out."""

import re
from urllib.parse import quote

HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


def text(response):
    return response.get_data(as_text=True)


def assert_inert(page):
    """No tag, attribute or URL from the hostile note survives as markup."""
    assert "<script>window" not in page
    assert "<img src=x" not in page
    assert not re.search(r"<script(?! src=\"/static/(app|embed)\.js)", page, re.I)
    assert not re.search(r"(href|src)=\"\s*javascript:", page, re.I)
    assert not re.search(r"<[a-z][^>]*\sonerror=", page, re.I)


def test_query_is_escaped_everywhere_on_the_search_page(client):
    page = text(client.get("/search?q=" + quote(HOSTILE)))
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_query_is_escaped_in_the_embed_and_the_feed(client):
    for url in ("/embed?q=", "/feed.atom?q="):
        body = text(client.get(url + quote(HOSTILE)))
        assert "<script>alert(1)" not in body
        assert "<img src=x" not in body


def test_hostile_session_page_renders_inert(client, evil_session):
    page = text(client.get("/events/" + quote(evil_session)))
    assert_inert(page)
    assert "&lt;script&gt;window.__pwned = 'body'&lt;/script&gt;" in page
    assert '<a href="https://example.com/safe" rel="nofollow noopener noreferrer">例</a>' in page


def test_hostile_event_everywhere_it_is_listed(client):
    for url in ("/", "/search?q=危険", "/events/", "/events/evil-con-2021", "/embed?q=危険",
                "/topics/"):
        page = text(client.get(url))
        assert_inert(page)
        assert 'href="javascript:' not in page


def test_hostile_note_in_the_feed_stays_text(client):
    body = text(client.get("/feed.atom?event=evil-con-2021"))
    assert "<script>" not in body
    assert "&lt;script&gt;" in body


def test_hostile_json_is_data_not_markup(client, evil_session):
    response = client.get("/api/sessions/" + quote(evil_session))
    assert response.mimetype == "application/json"
    assert "<script>" in response.get_json()["body"]  # data is kept as written
    assert response.headers["X-Content-Type-Options"] == "nosniff"
