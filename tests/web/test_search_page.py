"""The search page's parts as HTML: layout without facets, OR note, facet filter, explain tables."""

import re

from kb.web.explaining import clause_rows, hit_rows
from kb.web.links import Hit, Link


def text(response):
    return response.get_data(as_text=True)


def test_a_page_without_facets_has_no_facet_column(client):
    empty = text(client.get("/search?q=存在しないことばzzqx"))
    assert '<div class="search-layout">' in empty and "with-facets" not in empty
    assert '<div class="search-layout with-facets">' in text(client.get("/search?q=GPU"))


def test_several_ticked_values_of_one_facet_say_any_of_them(client):
    page = text(client.get("/search?topic=gpu&topic=machine-learning&year=2019"))
    assert page.count("いずれかに一致") == 1  # the topics; one ticked year needs no note
    topic_head = re.search(r'<h2 id="facet-topic">(.*?)</h2>', page).group(1)
    assert "いずれかに一致" in topic_head
    assert "いずれかに一致" not in text(client.get("/search?topic=gpu"))


def test_long_facet_lists_get_a_filter_box_for_scripts_to_show(client):
    page = text(client.get("/"))
    # the topic list is longer than what is shown first; the box waits hidden for app.js
    assert '<div class="facet-filter" hidden>' in page
    assert 'for="facet-filter-topic">トピックを名前で絞る</label>' in page
    assert 'id="facet-filter-year"' not in page  # a short list needs none


def test_the_explain_view_is_two_tables_in_japanese(client):
    page = text(client.get("/search?q=GPU 推論&explain=1"))
    assert '<table class="explain-table" aria-labelledby="explain-query">' in page
    assert '<table class="explain-table" aria-labelledby="explain-hits">' in page
    for head in ("検索語", "扱い", "形態素(見出し語・読み)", "検索した語", "広げた語",
                 "順位", "セッション", "スコア", "一致した語"):
        assert f'<th scope="col">{head}</th>' in page
    assert '<th scope="row" class="query-cell">推論</th>' in page
    for english in ("query analysis", "tokens:", "score ", "(fragment)"):
        assert english not in page


EXPLAINED = {
    "clauses": [
        {"text": "深層学習", "field": None, "negated": False, "phrase": False, "combined": False,
         "tokens": [{"surface": "深層", "lemma": "深層", "reading": "シンソウ", "pos": "名詞", "stop": False},
                    {"surface": "の", "lemma": "の", "reading": "ノ", "pos": "助詞", "stop": True}],
         "terms": ["深層"], "synonyms": ["ディープラーニング", "deep learning"], "topic": "deep-learning",
         "readings": [], "fragments": []},
        {"text": "アノテ", "field": "title", "negated": True, "phrase": True, "combined": False,
         "tokens": [], "terms": [], "synonyms": [], "topic": None,
         "readings": [["あの", "て"]], "fragments": ["アノ", "ノテ"]},
    ],
    "hits": [{"id": "e/a", "score": 3.14159,
              "fields": {"title": [{"term": "深層", "via": "word", "clause": "深層学習"}],
                         "body (fragment)": [{"term": "アノ", "via": "fragment", "clause": "アノテ"}],
                         "body": [{"term": "deep", "via": "synonym", "clause": "深層学習"}]}}],
}


def test_explanation_rows_name_everything_in_japanese():
    first, second = clause_rows(EXPLAINED)
    assert (first.text, first.kind, first.terms) == ("深層学習", "語", "深層")
    assert [m.dropped for m in first.morphemes] == [False, True]
    assert first.widened == (("同義語", "ディープラーニング、deep learning"), ("トピック", "deep-learning"))
    assert (second.text, second.kind) == ("-title:アノテ", "タイトルのみ・フレーズ・除外")
    assert second.widened == (("読み", "あのて"), ("語の一部", "アノ、ノテ"))
    hits = [Hit("e/b", "B", "/events/e/b", Link("E", "/events/e"), "", (), "", None, ""),
            Hit("e/a", "A", "/events/e/a", Link("E", "/events/e"), "", (), "", None, "")]
    (row,) = hit_rows(EXPLAINED, hits, first=11)
    assert (row.rank, row.title, row.url, row.score) == (12, "A", "/events/e/a", "3.14")
    assert row.matches == (("タイトル", "深層"), ("本文(語の一部)", "アノ(語の一部)"),
                           ("本文", "deep(同義語)"))
