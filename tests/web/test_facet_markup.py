"""Facet values' markup: what the search page's template wrote for them, escaped alike."""

from functools import lru_cache

from markupsafe import Markup

from kb.web.facet_markup import facet_values, value_parts
from kb.web.facets import FacetLink

HOSTILE = FacetLink('a&b"', '<b>"A&B"</b> 検索', 12, False, "/search?q=x&topic=a%26b%22", 40)
SELECTED = FacetLink("2020", "2020", 3, True, "/search?q=x", 10)

# as the template's loop wrote them
HOSTILE_HTML = (
    '<li data-label="&lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt; 検索"><a class="facet-value"'
    ' href="/search?q=x&amp;topic=a%26b%22" data-facet-value="a&amp;b&#34;">\n'
    '  <span class="check" aria-hidden="true"></span>\n'
    '  <span class="facet-label"><bdi>&lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt; 検索</bdi></span>\n'
    '  <span class="facet-count">12<span class="visually-hidden">件</span></span>\n'
    '  <svg class="facet-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true"'
    ' focusable="false"><rect width="100" height="4" class="track"></rect>'
    '<rect width="40" height="4" class="fill"></rect></svg>\n'
    '</a></li>')
SELECTED_HTML = (
    '<li data-label="2020"><a class="facet-value is-selected" href="/search?q=x"'
    ' data-facet-value="2020" aria-current="true">\n'
    '  <span class="check" aria-hidden="true"></span>\n'
    '  <span class="facet-label"><span class="visually-hidden">選択中: </span><bdi>2020</bdi></span>\n'
    '  <span class="facet-count">3<span class="visually-hidden">件</span></span>\n'
    '  <svg class="facet-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true"'
    ' focusable="false"><rect width="100" height="4" class="track"></rect>'
    '<rect width="10" height="4" class="fill"></rect></svg>\n'
    '</a></li>')


def test_each_value_is_escaped_and_marked_as_the_template_marked_it():
    written = facet_values([HOSTILE, SELECTED])
    assert isinstance(written, Markup)
    assert written == HOSTILE_HTML + SELECTED_HTML


def test_remembered_parts_write_the_same_markup():
    parts = lru_cache(maxsize=4)(value_parts)
    for _ in range(2):  # the second time from what was remembered
        assert facet_values([SELECTED, HOSTILE], parts) == SELECTED_HTML + HOSTILE_HTML
    assert parts.cache_info().hits == 2


def test_no_values_no_markup():
    assert facet_values([]) == Markup("")


def test_the_search_page_lists_facet_values_with_this_markup(client):
    page = client.get("/search?q=GPU&topic=gpu").get_data(as_text=True)
    assert '<a class="facet-value is-selected" href="/search?q=GPU" data-facet-value="gpu"' \
        ' aria-current="true">' in page
    assert '<ul class="facet-values">\n        <li data-label=' in page
