"""The search service over the real index of data/notes and tests/notes."""

import pytest

from kb.errors import QueryError
from kb.search import SearchRequest
from tests.conftest import service_of

AMADA = "decode-2020/アマダの-azure-への取り組みと-devops-mlops-環境の構築と運用"
NVIDIA = "decode-2020/ai-とデータ-サイエンスを加速する-nvidia-の最新-gpu"
GPU_COST = "cloud-day-2021/gpuインスタンスのコスト最適化"


def ids(data):
    return [r["id"] for r in data["results"]]


def facet(data, name):
    return {v["value"]: (v["count"], v["selected"]) for v in data["facets"][name]}


def test_result_shape_follows_the_contract(search):
    data = search("MLOps")
    assert set(data) >= {"query", "total", "page", "results", "facets", "suggestion"}
    hit = data["results"][0]
    assert set(hit) == {"id", "event", "title", "date", "topics", "speakers", "url", "score", "snippet"}
    assert set(hit["event"]) == {"id", "name", "date"}
    assert set(data["facets"]) == {"event", "topic", "year"}
    assert set(data["facets"]["topic"][0]) == {"value", "label", "count", "selected"}
    assert data["suggestion"] is None


def test_title_matches_rank_above_body_matches(search):
    data = search("GPU")
    assert ids(data)[:2] == [NVIDIA, GPU_COST] or ids(data)[:2] == [GPU_COST, NVIDIA]
    assert data["results"][0]["score"] > data["results"][-1]["score"]


def test_snippets_are_escaped_and_marked(search):
    snippet = search("アノテーション")["results"][0]["snippet"]
    assert "<mark>アノテーション</mark>" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_empty_query_browses_newest_first(search, service):
    data = search("", per_page=100)
    dates = [r["date"] for r in data["results"]]
    assert data["total"] == len(dates) == sum(e["session_count"] for e in service.events())
    assert dates == sorted(dates, reverse=True)
    assert all(r["score"] is None for r in data["results"])


def test_sessions_of_one_event_keep_their_order_when_browsing(search):
    data = search("", events=("decode-2020",))
    titles = [r["title"] for r in data["results"]]
    for title, start in zip(titles, ["AI・機械学習", "リテール AI", "アマダの", "Azure Cog", "AI とデータ"]):
        assert title.startswith(start)


def test_facets_count_what_the_query_finds(search):
    data = search("Azure")
    assert facet(data, "event")["decode-2020"] == (3, False)
    assert facet(data, "event")["cloud-day-2021"] == (1, False)
    assert sum(count for count, _ in facet(data, "event").values()) == data["total"]
    assert facet(data, "year")["2020"] == (3, False)
    assert sum(count for count, _ in facet(data, "year").values()) == data["total"]


def test_or_within_a_facet_and_across_facets(search):
    mlops, gpu = search(topics=("mlops",))["total"], search(topics=("gpu",))["total"]
    both = search(topics=("mlops", "gpu"))
    assert both["total"] == len({*ids(search(topics=("mlops",), per_page=100)),
                                 *ids(search(topics=("gpu",), per_page=100))})
    assert both["total"] <= mlops + gpu
    narrowed = search(topics=("mlops", "gpu"), years=("2020",))
    assert all(r["date"].startswith("2020") for r in narrowed["results"])
    assert narrowed["total"] < both["total"]


def test_a_facets_own_selection_does_not_narrow_its_counts(search):
    everything = facet(search(), "topic")
    ticked = facet(search(topics=("mlops",)), "topic")
    assert ticked["gpu"][0] == everything["gpu"][0]
    assert ticked["mlops"] == (everything["mlops"][0], True)
    # but other facets follow the selection
    assert facet(search(topics=("mlops",)), "year") != facet(search(), "year")


def test_facet_values_by_id_label_alias_or_name(search):
    by_id = search(topics=("machine-learning",))["total"]
    assert search(topics=("機械学習",))["total"] == by_id
    assert search(topics=("AI・機械学習",))["total"] == by_id
    assert search(topics=("ＭＬ",))["total"] == by_id
    assert search(events=("de:code 2020",))["total"] == 5
    assert search(events=("DE:CODE 2020",))["total"] == 5


def test_selected_values_stay_listed_with_zero(search):
    data = search("リテール", topics=("gpu",))
    assert data["total"] == 0
    assert facet(data, "topic")["gpu"] == (0, True)


@pytest.mark.parametrize("q, expected", [
    ('"混合精度演算"', [NVIDIA]),
    ("GPU -NVIDIA -量子化", [GPU_COST]),
    ("リテール OR MLOps", None),
    ("title:検索", None),
    ("event:decode-2020 GPU", [NVIDIA]),
    ('event:"de:code 2020" MLOps', [AMADA]),
    ("topic:mlops Azure", [AMADA]),
    ("speaker:伊藤五郎", None),
])
def test_query_syntax(search, q, expected):
    found = ids(search(q, per_page=50))
    if expected is not None:
        assert found == expected
    assert found


def test_or_joins_two_terms(search):
    either = set(ids(search("リテール OR MLOps", per_page=50)))
    assert either == set(ids(search("リテール", per_page=50))) | set(ids(search("MLOps", per_page=50)))


def test_title_prefix_looks_in_titles_only(search):
    assert all("検索" in r["title"] for r in search("title:検索", per_page=50)["results"])


def test_speaker_prefix(search):
    assert sorted(ids(search("speaker:伊藤五郎", per_page=50))) == [
        "search-meetup-2022/形態素解析器の選び方", "search-meetup-2022/検索ランキングの評価指標"]


def test_unknown_prefix_is_a_word(search):
    assert search("de:code")["total"] == 5
    assert search("foo:bar")["total"] == 0


def test_sort_by_date(search):
    dates = [r["date"] for r in search("GPU", sort="date")["results"]]
    assert dates == sorted(dates, reverse=True)


def test_pages(search):
    first, second = search("", per_page=3), search("", per_page=3, page=2)
    assert first["total"] == second["total"]
    assert not set(ids(first)) & set(ids(second))
    assert search("", page=999)["results"] == []


@pytest.mark.parametrize("request_kwargs, parameter", [
    ({"page": 0}, "page"),
    ({"page": 10**9}, "page"),
    ({"per_page": 0}, "limit"),
    ({"per_page": 1000}, "limit"),
    ({"years": ("abc",)}, "year"),
    ({"sort": "random"}, "sort"),
    ({"topics": ("no-such-topic",)}, "topic"),
    ({"events": ("no-such-event",)}, "event"),
])
def test_bad_parameters_are_named(service, request_kwargs, parameter):
    with pytest.raises(QueryError) as caught:
        service.search(SearchRequest(**request_kwargs))
    assert caught.value.parameter == parameter


def found(data):
    """What an answer found: its total and the ids of its page."""
    return data["total"], [r["id"] for r in data["results"]]


# Symbols and operators with nothing to act on are dropped: what they leave is searched
# (nothing at all browses every session, as the empty query does).
@pytest.mark.parametrize("q, plain", [
    ("((", ""), ("))", ""), ("OR", ""), ("OR OR", ""), ("*", ""), ("?", ""), ("\x00", ""),
    ('-""', ""), (":", ""), ("🎉", ""), ("　", ""),
    ('"unbalanced', "unbalanced"), ("a*", "a"), ("AND NOT", "and not"), ("title:", "title"),
])
def test_odd_input_finds_what_its_plain_words_find(search, q, plain):
    data = search(q)
    assert found(data) == found(search(plain))
    assert data["messages"] == []


@pytest.mark.parametrize("q", ["topic:nothing", "event:nothing"])
def test_a_filter_on_an_unknown_value_finds_nothing(search, q):
    assert found(search(q)) == (0, [])
    assert found(search(q + " GPU")) == (0, [])
    assert found(search("GPU"))[0] > 0


def test_an_overlong_query_is_cut_and_says_so(search):
    data = search("x" * 10_000)
    assert found(data) == found(search("x" * 500))
    assert data["messages"] == ["the query was cut to its first 500 characters"]


def test_long_queries_are_cut_and_say_so(search):
    data = search("GPU " * 300)
    assert data["messages"]


def test_session_and_event_records(service):
    session = service.session(AMADA)
    assert session.event_name == "de:code 2020"
    assert [t.id for t in session.topics][:1] == ["machine-learning"]
    assert service.session("decode-2020") is None  # an event is not a session
    assert service.session("../../etc/passwd") is None
    event = service.event("decode-2020")
    assert event["session_count"] == 5
    assert [s.position for s in event["sessions"]] == [0, 1, 2, 3, 4]
    events = service.events()
    assert {"ml-night-2023", "search-meetup-2022", "cloud-day-2021", "decode-2020"} <= {e["id"] for e in events}
    assert [e["date"] for e in events] == sorted((e["date"] for e in events), reverse=True)
    assert service.event("nope") is None


def test_topics_with_counts(service):
    topics = {t.value: t.count for t in service.topics()}
    assert topics["mlops"] >= 2 and topics["gpu"] >= 2


def test_answers_are_remembered_per_index_generation(index_dir, taxonomy):
    from kb.search import SearchService
    service = SearchService(index_dir, taxonomy, cache_size=2)
    first = service.search(SearchRequest(q="GPU"))
    assert service.search(SearchRequest(q="GPU")) is first
    service.search(SearchRequest(q="MLOps"))
    service.search(SearchRequest(q="Azure"))
    assert service.search(SearchRequest(q="GPU")) is not first  # pushed out by newer ones
    uncached = SearchService(index_dir, taxonomy, cache_size=0)
    assert uncached.search(SearchRequest(q="GPU")) is not uncached.search(SearchRequest(q="GPU"))
    assert uncached.search(SearchRequest(q="GPU", topics=["gpu"])).total >= 1  # lists answer too
    service.close()
    uncached.close()


@pytest.mark.parametrize("whole_words, expected", [(9, 10), (10, 10), (12, 12)])
def test_fragments_inside_words_fill_in_when_whole_words_are_few(tmp_path, taxonomy,
                                                                  whole_words, expected):
    from kb.indexer.build import build_index
    from kb.search import FRAGMENT_FALLBACK, SearchService
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(whole_words):
        (notes / f"a{i}.md").write_text(f"---\nevent: A{i}\n---\n## s\nデータを作る\n", encoding="utf-8")
    (notes / "b.md").write_text("---\nevent: B\n---\n## s\nデータベースを作る\n",
                                encoding="utf-8")
    build_index(tmp_path / "ix", [notes], taxonomy, progress=False)
    service = SearchService(tmp_path / "ix", taxonomy)
    found = service.search(SearchRequest(q="データ", per_page=20))
    service.close()
    # below a page of whole-word matches, データベース is found through its fragment
    assert FRAGMENT_FALLBACK == 10
    assert found.total == expected
    assert ("b/s" in [h.record.id for h in found.hits]) == (whole_words < FRAGMENT_FALLBACK)


@pytest.mark.parametrize("q", ["GPU 推論", "GPU -NVIDIA", "リテール OR MLOps", '"混合精度演算" GPU',
                               "-GPU", "Azure コンテナ -AWS", "アノテ", "title:検索 データ"])
def test_parts_matched_apart_score_as_whoosh_scores_the_whole(service, index_dir, q):
    from kb.engine import IndexStore
    from kb.engine import query as Q
    from kb.engine.compat import SLOW
    from kb.query import parse_query
    from kb.search import match_plan
    parsed = parse_query(q)
    with service.viewing() as view:
        # every word required, as whoosh's And requires them
        found = match_plan(view, view.builder.plan(parsed, fragments=True), False, "all")
        sessions = view.generation.all
    # the same parts as one query, as whoosh would answer it
    whole = Q.And(found.positive) if found.positive else Q.Every()
    if found.negative:
        whole = Q.AndNot(whole, Q.Or(found.negative))
    with IndexStore(index_dir, caps=SLOW).open().reader() as reader:  # whoosh's public API
        whole_docs, whole_scores = reader.matches(whole)
    mine = {int(n): s for n, s in zip(found.docs, found.scores) if sessions >> int(n) & 1}
    whoosh = {int(n): s for n, s in zip(whole_docs, whole_scores) if sessions >> int(n) & 1}
    assert set(mine) == set(whoosh) and mine
    if not q.startswith("-"):  # a query of exclusions only is not scored
        assert all(abs(mine[n] - whoosh[n]) < 1e-9 for n in mine)


def test_the_generation_is_read_while_another_thread_searches(index_dir, taxonomy):
    import threading

    from kb.search import SearchService
    service = SearchService(index_dir, taxonomy, check_interval=60)
    generation = service.generation()
    searching, done = threading.Event(), threading.Event()

    def search():  # holds the service's lock as a long search would
        with service.viewing():
            searching.set()
            done.wait(10)

    other = threading.Thread(target=search)
    other.start()
    searching.wait(10)
    found = []
    reader = threading.Thread(target=lambda: found.append(service.generation()))
    reader.start()
    reader.join(10)
    done.set()
    other.join()
    service.close()
    assert found == [generation]


def test_a_hit_shown_again_keeps_its_record_and_folded_text(service):
    with service.viewing() as view:
        docnum = view.reader.docnum(GPU_COST)
        record, text = view.generation.shown(view.reader, docnum)
        assert view.generation.record(view.reader, docnum) is record
        assert view.generation.shown(view.reader, docnum)[1] is text
    assert text.text == record.text and text.words == record.words


def test_events_counted_by_column_as_by_masks(service):
    from kb.bits import bitmask, docnums
    from kb.facets import Facet
    generation = service.generation()
    events = generation.facets["event"]
    by_masks_only = Facet({v: events.mask(v) for v in events.values}, events.labels)
    sessions = docnums(generation.all)
    for matched in (generation.all, bitmask(sessions[::3]), bitmask(sessions[:1]), 0):
        for selected in ((), ("decode-2020",), ("no-such-event",)):
            by_masks = by_masks_only.count(matched, selected)
            assert events.count(matched, selected) == by_masks
    assert sum(v.count for v in by_masks) == 0 and [v.value for v in by_masks] == []


def ids_for(service, q):
    return [h.record.id for h in service.search(SearchRequest(q=q)).hits]


def test_a_katakana_word_cut_short_stands_for_the_words_it_begins(tmp_path_factory, topics):
    # MeCab reads マイクロサ as マイクロ + the particle さ; the reader typed the start
    # of マイクロサービス, not マイクロ (of マイクロソフト)
    notes = {"a.md": "---\nevent: A\n---\n## s\nマイクロサービスに分ける\n## t\nマイクロソフトの話\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        assert ids_for(service, "マイクロサ") == ["a/s"]
        assert service.search(SearchRequest(q="マイクロ")).total == 2


def test_a_compound_typed_up_to_a_kanji_stands_for_the_words_that_kanji_begins(
        tmp_path_factory, topics):
    # ドメイン駆 is ドメイン駆動設計 typed short: MeCab reads 駆 as a word of its own,
    # which no note has; 駆動 is the word the reader was typing
    notes = {"a.md": "---\nevent: A\n---\n## s\nドメイン駆動設計を学ぶ\n"
                     "## t\nドメインの話\n## u\n異常検知の入門\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        assert ids_for(service, "ドメイン駆") == ["a/s"]
        assert ids_for(service, "異常検") == ["a/u"]
        # a word ending in a whole word is not widened
        assert service.search(SearchRequest(q="ドメイン")).total == 2


def test_a_session_of_an_event_tagged_with_a_topic_is_found_by_it_below_the_rest(
        tmp_path_factory, topics):
    # the meetup is tagged iot; one talk says so, the other never does
    notes = {"meetup.md": "---\nevent: 電子工作の夕べ\ntags: [iot]\n---\n"
             "## センサーで部屋を見る\nIoT の話。センサーと Arduino でセンサー値を送る。\n"
             "## 懇親会の案内\n会場の二階で軽食を出します。\n",
             "other.md": "---\nevent: 別の会\n---\n## 懇親会の案内\n会場の二階で軽食を出します。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        titles = [(h.record.event_name, h.record.title)
                  for h in service.search(SearchRequest(q="IoT")).hits]
        assert titles == [("電子工作の夕べ", "センサーで部屋を見る"), ("電子工作の夕べ", "懇親会の案内")]
        explained = service.explain(SearchRequest(q="IoT"))
        assert explained["hits"][0]["score"] > explained["hits"][1]["score"]


def test_a_katakana_word_with_its_final_long_vowel_finds_compounds_written_without(
        tmp_path_factory, topics):
    notes = {"a.md": "---\nevent: 設計の回\n---\n## 層を分ける\nクリーンアーキテクチャで組んだ。\n"
                     "## 別の話\n今日は晴れ。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        for q in ("アーキテクチャー", "アーキテクチャ"):
            assert [h.record.title for h in service.search(SearchRequest(q=q)).hits] == ["層を分ける"]


def test_a_word_cut_short_that_begins_a_known_name_finds_what_the_name_stands_for(
        tmp_path_factory, topics):
    # ディープラー begins ディープラーニング, a synonym of 深層学習 (data/synonyms.yaml)
    notes = {"a.md": "---\nevent: 学習の回\n---\n## 層を重ねる\n深層学習で画像を分類した。\n"
                     "## 別の話\n今日は晴れ。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        assert [h.record.title for h in service.search(SearchRequest(q="ディープラー")).hits] \
            == ["層を重ねる"]


def test_a_hyphenated_word_finds_it_written_as_one_and_apart(tmp_path_factory, topics):
    notes = {"a.md": "---\nevent: 分ける回\n---\n## 一つに\nmicroservices in production.\n"
                     "## 二つに\nmicro services, small ones.\n## 別の話\n今日は晴れ。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        found = [h.record.title for h in service.search(SearchRequest(q="micro-services")).hits]
        assert sorted(found) == ["一つに", "二つに"]


def test_a_loanword_finds_others_of_the_same_english_clipped_or_not(tmp_path_factory, topics):
    # UniDic glosses アプリ and アプリケーション both as application
    notes = {"a.md": "---\nevent: 短い回\n---\n## 作る\nスマホのアプリを作った。\n"
                     "## 組む\nインフラストラクチャを組んだ。\n## 別の話\nサーバーの話。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        for q, title in (("アプリケーション", "作る"), ("インフラ", "組む")):
            assert [h.record.title for h in service.search(SearchRequest(q=q)).hits] == [title]


def test_a_word_read_whole_in_the_notes_is_found_when_typed_alone(tmp_path_factory, topics):
    # alone, MeCab reads スクレイピング as スク レイ ピング; in this sentence, as one word
    notes = {"a.md": "---\nevent: 集める回\n---\n## 集める\n入力するデータはスクレイピングした文章。\n"
                     "## 別の話\n今日は晴れ。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        assert [h.record.title for h in service.search(SearchRequest(q="スクレイピング")).hits] \
            == ["集める"]


def test_a_session_changed_and_indexed_again_is_shown_as_it_now_reads(tmp_path, topics):
    from kb.indexer.build import build_index
    from kb.search import SearchService

    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "e.md"
    note.write_text("---\nevent: E\ndate: 2021-01-01\n---\n## 推論の話\nGPU で推論した。\n",
                    encoding="utf-8")
    build_index(tmp_path / "ix", [notes], *topics, progress=False)
    service = SearchService(tmp_path / "ix", topics[0], check_interval=0)
    try:
        for _ in range(2):  # the record is kept for the generation
            shown = service.search(SearchRequest(q="推論")).hits[0]
            assert "GPU" in shown.record.text and shown.snippet
        note.write_text("---\nevent: E\ndate: 2021-01-01\n---\n## 推論の話\nTPU で推論した。\n",
                        encoding="utf-8")
        build_index(tmp_path / "ix", [notes], *topics, progress=False)
        shown = service.search(SearchRequest(q="推論")).hits[0]
        assert "TPU" in shown.record.text and "GPU" not in shown.record.text
        assert "TPU" in service.event(shown.record.event_id)["sessions"][0].text
    finally:
        service.close()
