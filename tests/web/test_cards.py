"""What a blog card, a feed reader and a framing blog see: Open Graph, the base URL, embeds."""

import re
from html import unescape
from urllib.parse import quote

import pytest

from kb.errors import KbError
from kb.records import SessionRecord
from kb.web import create_app
from kb.web.links import first_image

BASE = "https://kb.example.com/notes"


def text(response):
    return response.get_data(as_text=True)


def meta(page, prop):
    """The content of a <meta property=…> or <meta name=…> tag, or None."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', page)
    return unescape(found.group(1)) if found else None


def sessions_of(client, event_id):
    return client.get(f"/api/events/{event_id}").get_json()["sessions"]


@pytest.fixture
def make_app(web_index, web_topics):
    """Apps of the test index with other settings; closed after the test."""
    made = []

    def make(**config):
        app = create_app({"TESTING": True, "KB_INDEX_DIR": str(web_index),
                          "KB_TAXONOMY": web_topics[0], **config})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["kb"].close()


# -- Open Graph of a session --------------------------------------------------------

def test_a_session_card_shows_its_first_image_and_when_it_was_held(client):
    with_image = next(s for s in sessions_of(client, "decode-2020") if s["images"])
    page = text(client.get(with_image["html_url"]))
    assert meta(page, "og:image") == with_image["images"][0][0]
    assert meta(page, "og:image").startswith("https://")
    assert meta(page, "article:published_time") == "2020-06-17"
    assert meta(page, "og:type") == "article"
    assert meta(page, "twitter:card") == "summary_large_image"


def test_a_session_without_images_has_a_small_card(client):
    plain = next(s for s in sessions_of(client, "gpu-night-2019") if not s["images"])
    page = text(client.get(plain["html_url"]))
    assert meta(page, "og:image") is None
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "article:published_time") == "2019-11-20"  # the event's date


def session(**stored):
    return SessionRecord.from_stored({"id": "e/s", "slug": "s", "event_id": "e",
                                      "event_name": "E", "title": "T", **stored})


def test_the_first_image_is_made_absolute_from_the_post_and_must_be_safe():
    record = session(event_url="https://blog.example.com/entry/2020/06/17/x",
                     images=[["javascript:alert(1)", "evil"], ["../img/a.png", "図1"]])
    assert first_image(record) == ("https://blog.example.com/entry/2020/06/img/a.png", "図1")
    assert first_image(session(images=[["img/a.png", ""]])) is None
    assert first_image(session(url="https://x.example/talk")) is None


# -- site name and base URL ---------------------------------------------------------

def test_the_site_name_comes_from_the_environment_or_the_config(make_app, monkeypatch):
    monkeypatch.setenv("KB_SITE_NAME", "勉強会ノート")
    page = text(make_app().test_client().get("/"))
    assert meta(page, "og:site_name") == "勉強会ノート"
    assert "| 勉強会ノート</title>" in page
    page = text(make_app(KB_SITE_NAME="社内ノート").test_client().get("/embed"))
    assert "社内ノートで" in page and "すべてを見る" in page


def test_with_a_base_url_absolute_urls_never_come_from_the_host(make_app, monkeypatch):
    monkeypatch.setenv("KB_BASE_URL", BASE + "/")  # a trailing slash is fine
    client = make_app().test_client()
    forged = {"Host": "evil.example"}
    session = sessions_of(client, "decode-2020")[0]
    page = text(client.get(session["html_url"], headers=forged))
    assert meta(page, "og:url") == BASE + session["html_url"]
    assert 'rel="canonical" href="' + BASE + session["html_url"] in page
    feed = text(client.get("/feed.atom?topic=gpu", headers=forged))
    assert "evil.example" not in feed
    assert f'<link rel="self" type="application/atom+xml" href="{BASE}/feed.atom?topic=gpu"/>' in feed
    assert f'href="{BASE}/events/' in feed
    opensearch = text(client.get("/opensearch.xml", headers=forged))
    assert "evil.example" not in opensearch and f'template="{BASE}/search?q={{searchTerms}}"' in opensearch
    embed = text(client.get("/embed?topic=gpu", headers=forged))
    assert f'href="{BASE}/search?topic=gpu' in embed


@pytest.mark.parametrize("path, location", [
    ("/topics/" + quote("深層学習"), "/topics/deep-learning"),  # an alias, answered by kb
    ("/events", "/events/"),  # a missing slash, answered by the router
])
def test_with_a_base_url_redirects_point_into_it(make_app, path, location):
    client = make_app(KB_BASE_URL=BASE).test_client()
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == BASE + location


def test_without_a_base_url_the_host_is_used(client):
    page = text(client.get("/search?q=GPU", headers={"Host": "kb.local:8080"}))
    assert meta(page, "og:url") == "http://kb.local:8080/search?q=GPU"
    assert client.get("/topics/" + quote("深層学習")).headers["Location"] == "/topics/deep-learning"


@pytest.mark.parametrize("value", ["kb.example.com", "ftp://kb.example.com", "https://",
                                   "https://kb.example.com/?a=1"])
def test_a_base_url_that_is_not_one_is_refused_by_name(make_app, value):
    with pytest.raises(KbError, match="KB_BASE_URL"):
        make_app(KB_BASE_URL=value)


# -- embeds -------------------------------------------------------------------------

@pytest.mark.parametrize("query, theme, scheme", [
    ("", "light", "light"), ("&theme=light", "light", "light"),
    ("&theme=dark", "dark", "dark"), ("&theme=auto", "auto", "light dark"),
])
def test_the_embed_is_light_unless_asked(client, query, theme, scheme):
    page = text(client.get("/embed?topic=gpu" + query))
    assert f'<html lang="ja" data-theme="{theme}">' in page
    assert meta(page, "color-scheme") == scheme
    assert '<script src="/static/embed.js' in page  # tells a framing blog its height


def test_an_unknown_embed_theme_is_a_clear_error(client):
    response = client.get("/embed?theme=purple")
    assert response.status_code == 400
    assert "theme must be light, dark or auto" in text(response)


def test_the_embed_host_script_is_served(client):
    with client.get("/static/embed-host.js") as response:
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")
        assert "kb-embed:height" in text(response)
