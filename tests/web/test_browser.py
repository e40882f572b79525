"""End to end in a real headless Chromium against `kb serve` on gunicorn.

Skips when Debian's chromium (or Playwright's Python package) is not installed.
Screenshots of the main pages land in tests/screenshots/ (not committed).
"""

import json
import urllib.request
from urllib.parse import quote

import pytest

from tests.web.browsing import DESKTOP, PHONE, require_browser, shoot

require_browser()
from tests.web.browsing import blog_site, browser, open_page, page, server  # noqa: E402,F401  (fixtures)


def total(page):
    return int(page.locator(".results-count .total").inner_text())


def facet(page, name, value):
    return page.locator(f'section.facet:has(#facet-{name}) a[data-facet-value="{value}"]')


def test_type_a_query_then_tick_two_topics(page, server):
    page.goto(server + "/")
    box = page.get_by_label("検索語")
    box.press_sequentially("機械", delay=20)
    suggestions = page.locator("#q-suggestions")
    suggestions.get_by_role("option").first.wait_for()  # suggestions as you type
    assert "機械学習" in suggestions.inner_text()
    box.fill("推論")
    with page.expect_navigation():
        box.press("Enter")
    assert "q=%E6%8E%A8%E8%AB%96" in page.url
    found = total(page)
    assert found > 0

    ml = facet(page, "topic", "machine-learning")
    ml_count = int(ml.locator(".facet-count").inner_text().rstrip("件"))
    with page.expect_navigation():
        ml.click()
    assert total(page) == ml_count
    assert facet(page, "topic", "machine-learning").get_attribute("aria-current") == "true"
    assert page.locator(".chip").filter(has_text="機械学習").count() == 1

    gpu = facet(page, "topic", "gpu")
    with page.expect_navigation():
        gpu.click()
    both = total(page)
    assert both >= ml_count  # one facet's values are OR-ed
    assert page.locator(".facet-value.is-selected").count() == 2
    assert page.locator(".hit").count() == min(both, 10)
    with urllib.request.urlopen(server + "/api/search?" + page.url.split("?", 1)[1]) as api:
        assert json.load(api)["total"] == both


def test_result_to_permalink_and_back(page, server):
    page.goto(server + "/search?q=GPU")
    first = page.locator(".hit-title a").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.locator("h1").inner_text() == title
    assert "/events/" in page.url
    assert page.locator(".prose").count() == 1
    page.go_back()
    page.wait_for_url("**/search?q=GPU")
    assert page.locator(".hit-title a").first.inner_text() == title


def test_keyboard_reaches_facets_with_visible_focus(page, server):
    page.goto(server + "/search?q=GPU")
    page.locator(".facet-value").first.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.fixture
def blog(server, blog_site):
    """A post on another site that frames the embed and a normal page."""
    return blog_site(f'<p>ブログの記事</p><iframe id="e" src="{server}/embed?topic=gpu"></iframe>'
                     f'<iframe id="p" src="{server}/search"></iframe>')


def test_embed_in_another_sites_frame(page, server, blog):
    page.goto(server + "/embed?topic=gpu&limit=3")
    assert 0 < page.locator(".embed-list li").count() <= 3
    page.goto(blog)
    embed = page.frame_locator("#e")
    embed.locator(".embed-list li").first.wait_for()
    assert "すべてを見る" in embed.locator(".embed-more").inner_text()
    # every other page refuses to be framed by another site
    page.wait_for_timeout(200)
    assert page.frame_locator("#p").locator(".search-form").count() == 0


PLANTED = [  # every kind of page that shows the hostile note or echoes the URL
    "/events/" + quote("evil-con-2021/危険なタイトル"), "/events/evil-con-2021",
    "/search?q=" + quote("危険"), "/embed?event=evil-con-2021", "/feed.atom?event=evil-con-2021",
    "/", "/topics/", "/api/sessions/" + quote("evil-con-2021/危険なタイトル"),
    "/search?q=" + quote("<script>window.__pwned='q'</script><img src=x onerror=window.__pwned='q'>"),
    "/search?topic=" + quote("<script>window.__pwned='topic'</script>"),
    "/events/" + quote("<svg onload=window.__pwned='path'>", safe=""),
]


def test_planted_scripts_do_not_run(page, server):
    blocked = []  # the policy refusing something means markup went live: it must not come to that
    page.on("console", lambda msg: blocked.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    for path in PLANTED:
        page.goto(server + path)
        page.wait_for_timeout(50)  # let onerror and onload handlers fire, if any
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("iframe, object, embed, .prose style, .prose svg").count() == 0, path
        assert page.locator(".prose [style], .prose [onerror], .prose [onload]").count() == 0
        assert page.locator("a[href^='javascript' i], a[href^='data:' i]").count() == 0, path
        if path.startswith(("/events/", "/search", "/embed", "/topics")):
            assert page.evaluate("getComputedStyle(document.body).display") != "none", path
    assert blocked == []


SHOTS = {
    "search": "/",
    "search-filtered": "/search?q=GPU&topic=gpu&topic=machine-learning",
    "search-empty": "/search?q=" + quote("存在しないことば"),
    "explain": "/search?explain=1&q=" + quote("GPU 推論"),
    "session": "/events/" + quote("gpu-night-2019/推論サーバーの作り方"),
    "event": "/events/decode-2020",
    "events": "/events/",
    "topics": "/topics/",
    "topic": "/topics/gpu",
    "embed": "/embed?topic=gpu",
    "embed-auto": "/embed?topic=gpu&theme=auto",
    "not-found": "/events/nope",
}
DARK = ("search-filtered", "search-empty", "explain", "session", "topic", "embed", "embed-auto")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots(open_page, server, width):
    for scheme in ("light", "dark"):
        page = open_page(width, scheme)
        for name, path in SHOTS.items():
            if scheme == "dark" and name not in DARK:
                continue
            page.goto(server + path)
            shoot(page, f"{name}-{width}-{scheme}")
