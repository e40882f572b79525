"""The search and session pages in Chromium, at a phone's and a desktop's width.

Each test leaves screenshots in tests/screenshots/ of what it checked.
"""

from urllib.parse import quote

import pytest

from kb.indexer.build import build_index
from tests.conftest import kb_serve
from tests.web.browsing import DESKTOP, PHONE, japanese_fonts, require_browser, shoot

require_browser()
from tests.web.browsing import browser, open_page, page, server  # noqa: E402,F401  (fixtures)

EMPTY = "/search?q=" + quote("存在しないことば")
EXPLAIN = "/search?explain=1&q=" + quote("深層学習 GPU 推論")


def box(locator):
    return locator.bounding_box()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_zero_result_page_uses_the_whole_width(open_page, server, width):
    page = open_page(width)
    page.goto(server + EMPTY)
    main = box(page.locator("main"))
    empty = box(page.locator("section.empty"))
    assert empty["width"] > main["width"] - 40  # not squeezed into a facet column
    assert page.locator(".refine").count() == 0
    assert no_sideways_scroll(page)
    shoot(page, f"search-empty-{width}-light")


@pytest.mark.parametrize("width, scheme", [(PHONE, "light"), (DESKTOP, "dark")])
def test_the_explain_view_scrolls_inside_its_box(open_page, server, width, scheme):
    page = open_page(width, scheme)
    page.goto(server + EXPLAIN)
    assert no_sideways_scroll(page)  # it used to make a phone's page 1,232 px wide
    tables = page.locator(".explain .table-scroll")
    assert tables.count() == 2
    assert page.locator(".explain").get_by_role("columnheader", name="形態素(見出し語・読み)").is_visible()
    if width == PHONE:
        scroller = tables.first
        assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
        scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        assert scroller.evaluate("e => e.scrollLeft") > 0
        assert page.locator(".explain").get_by_role("columnheader", name="広げた語").is_visible()
    else:
        assert tables.first.evaluate("e => e.scrollWidth <= e.clientWidth")
    shoot(page, f"explain-{width}-{scheme}")


def test_escape_closes_suggestions_and_keeps_the_query(page, server):
    page.goto(server + "/")
    field = page.get_by_label("検索語")
    field.press_sequentially("機械", delay=20)
    suggestions = page.locator("#q-suggestions")
    suggestions.get_by_role("option").first.wait_for()
    field.press("Escape")
    assert suggestions.is_hidden()
    assert field.input_value() == "機械"
    assert field.get_attribute("aria-expanded") == "false"
    # pressed before the suggestions came: none appear afterwards
    field.press_sequentially("学", delay=0)
    field.press("Escape")
    page.wait_for_timeout(400)
    assert suggestions.is_hidden() and field.input_value() == "機械学"
    field.press("Escape")  # nothing open: the search box's own Escape clears it, as usual
    assert field.input_value() == ""


def test_without_a_query_the_sort_shows_the_date_order(page, server):
    page.goto(server + "/")
    sorts = page.get_by_role("list", name="並べ替え")
    assert sorts.locator("[aria-current]").inner_text() == "新しい順"
    # relevance needs words; 新着順 (added or changed last) does not
    assert sorts.get_by_role("link").all_inner_texts() == ["新着順"]
    dates = page.locator(".hit-meta time").all_inner_texts()
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)
    page.goto(server + "/search?q=GPU")
    assert sorts.locator("[aria-current]").inner_text() == "関連度順"
    assert sorts.get_by_role("link", name="新しい順").is_visible()


def test_ticked_values_of_one_facet_say_they_combine_as_any(page, server):
    page.goto(server + "/search?topic=gpu&topic=machine-learning")
    note = page.locator("#facet-topic .facet-mode")
    assert note.inner_text() == "いずれかに一致" and note.is_visible()
    assert page.locator("#facet-year .facet-mode").count() == 0
    shoot(page, "facets-any-1280-light")


def test_typing_filters_a_long_facet_list(page, server):
    page.goto(server + "/")
    topics = page.locator("section.facet:has(#facet-topic)")
    more = topics.locator("details.facet-more")
    filter_box = page.get_by_placeholder("トピックを名前で絞る")
    assert filter_box.is_visible() and not more.evaluate("d => d.open")
    hidden_label = more.locator("li").first.get_attribute("data-label")
    filter_box.fill(hidden_label)
    visible = topics.locator(".facet-values > li:visible")
    assert hidden_label in visible.all_inner_texts()[0]
    assert more.evaluate("d => d.open")  # matches among the rest are shown
    filter_box.fill("ＧＰＵ")  # widths and case fold, as in search
    assert visible.count() >= 1 and all("GPU" in t.upper() for t in visible.all_inner_texts())
    shoot(page, "facet-filter-1280-light")
    filter_box.fill("ぬぬぬ")
    assert visible.count() == 0 and topics.get_by_text("一致するトピックはありません").is_visible()
    filter_box.fill("")
    assert not more.evaluate("d => d.open")
    assert visible.count() == topics.locator(".facet-values > li").count() - more.locator("li").count()
    filter_box.fill("gpu")
    with page.expect_navigation():
        filter_box.press("Enter")  # ticks the first value left
    assert "topic=gpu" in page.url


def test_on_a_phone_ticking_a_facet_keeps_the_panel_open(open_page, server):
    page = open_page(PHONE)
    page.goto(server + "/search?q=" + quote("機械学習"))
    refine = page.locator("details.refine")
    assert not refine.evaluate("d => d.open")  # results first on a phone
    refine.locator("> summary").click()
    value = page.locator('#facet-year ~ ul a[data-facet-value]').first
    value.scroll_into_view_if_needed()
    year = value.get_attribute("data-facet-value")
    with page.expect_navigation():
        value.click()
    assert f"year={year}" in page.url
    assert refine.evaluate("d => d.open")
    ticked = page.locator(f'#facet-year ~ ul a[data-facet-value="{year}"]')
    assert ticked.get_attribute("aria-current") == "true"
    assert 0 <= box(ticked)["y"] < page.viewport_size["height"]  # still where the reader was
    shoot(page, "refine-open-390-light")
    page.get_by_role("link", name="件の結果を見る").click()
    page.wait_for_url("**#results")
    page.goto(server + "/search?q=GPU")  # a new search folds the panel again
    assert not refine.evaluate("d => d.open")


def test_the_desktop_facet_column_scrolls_with_the_page(open_page, server):
    page = open_page(DESKTOP, height=500)
    page.goto(server + "/")
    refine = page.locator("details.refine")
    assert refine.evaluate("e => getComputedStyle(e).overflowY") == "visible"
    assert refine.evaluate("e => getComputedStyle(e).position") == "static"
    before = box(refine)["y"]
    # (no wait_for_function on kb's pages: its polling evaluates strings, which the CSP refuses)
    page.evaluate("window.scrollTo({top: 300, behavior: 'instant'})")
    assert page.evaluate("window.scrollY") > 0
    assert box(refine)["y"] < before


def test_without_javascript_the_pages_still_work(open_page, server):
    page = open_page(PHONE, javascript=False)
    page.goto(server + "/search?q=GPU")
    assert page.locator("details.refine").evaluate("d => d.open")  # nothing folds it
    filters = page.locator(".facet-filter")
    assert all(filters.nth(i).is_hidden() for i in range(filters.count()))  # they need a script
    value = page.locator('#facet-topic ~ ul a[data-facet-value="gpu"]')
    with page.expect_navigation():
        value.click()
    assert "topic=gpu" in page.url
    page.goto(server + EXPLAIN)
    assert page.locator(".explain-table").count() == 2 and no_sideways_scroll(page)
    page.goto(server + "/embed?topic=gpu&theme=auto")
    assert page.locator(".embed-list li").count() > 0


@pytest.mark.skipif("Noto Sans CJK JP" not in japanese_fonts(),
                    reason="needs a Japanese font (apt-get install fonts-noto-cjk)")
@pytest.mark.parametrize("selector", ["h1.results-title", ".hit-title a", ".snippet"])
def test_latin_letters_are_set_in_the_japanese_fonts_own_face(page, server, selector):
    page.goto(server + "/search?q=GPU")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    assert "Noto Sans CJK JP" in fonts
    assert not any("DejaVu" in f for f in fonts), fonts


BOX_NOTE = """---
event: Box Night 2023
id: box-night-2023
date: 2023-03-03
url: https://example.com/box-night/
---
## 箱の書き方
speakers: 山田花子

:::message
これはメッセージです。
:::

:::message alert
これは警告です。
:::

:::details 折りたたみの中身
- 隠れた項目
:::

::: info 情報
markdown-it の info コンテナ。
:::
"""


@pytest.fixture(scope="module")
def box_server(tmp_path_factory, web_topics, topics_file):
    """`kb serve` of one note written with Zenn and markdown-it containers."""
    notes = tmp_path_factory.mktemp("box-notes")
    (notes / "box-night-2023.md").write_text(BOX_NOTE, encoding="utf-8")
    index = tmp_path_factory.mktemp("box-index")
    assert build_index(index, [notes], *web_topics, progress=False).ok
    with kb_serve(index, topics_file, tmp_path_factory.mktemp("box-log") / "serve.log",
                  workers=1) as base:
        yield base


@pytest.mark.parametrize("width, scheme", [(PHONE, "light"), (DESKTOP, "dark")])
def test_containers_render_as_boxes(open_page, box_server, width, scheme):
    page = open_page(width, scheme)
    page.goto(box_server + "/events/" + quote("box-night-2023/箱の書き方"))
    prose = page.locator(".prose")
    assert ":::" not in prose.inner_text()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for kind in ("message", "alert", "info"):
        note = prose.locator(f".note-box-{kind}")
        assert note.is_visible()
        assert note.evaluate("e => getComputedStyle(e).backgroundColor") != background
    assert prose.locator(".note-box-alert").evaluate("e => getComputedStyle(e).backgroundColor") != \
        prose.locator(".note-box-message").evaluate("e => getComputedStyle(e).backgroundColor")
    assert prose.locator(".note-box-info .note-box-title").inner_text() == "情報"
    hidden = prose.get_by_text("隠れた項目")
    assert hidden.is_hidden()
    prose.get_by_text("折りたたみの中身").click()
    assert hidden.is_visible()
    assert no_sideways_scroll(page)
    shoot(page, f"session-boxes-{width}-{scheme}")
