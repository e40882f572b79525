"""Relaxed matching: every word first, then most of them, then any; never nothing."""

from kb.requests import SearchRequest
from tests.conftest import service_of

PIPELINE = "devops-day-2019/jenkinsで組むビルドパイプライン"
ALERTS = "devops-day-2019/アラートを減らす監視設計"


def ids(service, q, **kwargs):
    return [h.record.id for h in service.search(SearchRequest(q=q, **kwargs)).hits]


def test_a_question_finds_what_the_same_words_spaced_find(service):
    asked = ids(service, "Jenkinsでビルドパイプラインを組むには？")
    spaced = ids(service, "Jenkins ビルド パイプライン")
    assert asked[0] == spaced[0] == PIPELINE


def test_a_request_finds_its_subject(service):
    assert ids(service, "アラートを減らす方法を教えて")[0] == ALERTS
    assert ids(service, "監視設計のやり方が知りたい")[0] == ALERTS


def test_sessions_with_every_word_rank_before_those_with_some(service):
    found = service.search(SearchRequest(q="Jenkins アラート ゾルゲモルフ"))
    assert found.total >= 2  # no session has all three: the others are found
    first = [h.record.id for h in found.hits]
    assert set(first[:2]) == {PIPELINE, ALERTS}


def test_relaxing_never_takes_a_compound_apart(service):
    assert ids(service, "宇宙開発") == []
    assert ids(service, "量子コンピュータ") == []


def test_explain_says_the_tier_and_what_each_hit_lacks(service):
    request = SearchRequest(q="Jenkins パイプライン アラート")
    explained = service.explain(request)
    hits = {h["id"]: h for h in explained["hits"]}
    assert hits[PIPELINE]["tier"] == "most" and hits[PIPELINE]["lacks"] == ["アラート"]
    assert hits[ALERTS]["tier"] == "any"
    assert set(hits[ALERTS]["lacks"]) == {"Jenkins", "パイプライン"}
    words = explained["clauses"][0]["units"]
    assert words == [{"text": "Jenkins", "phrase": False, "soft": False}]


def test_a_compound_found_nowhere_whole_is_found_by_its_words_apart(service):
    # 運用自動化 is written nowhere; 運用 and 自動化 stand apart in one note's intro
    found = service.search(SearchRequest(q="運用自動化の話"))
    assert found.total >= 1
    explained = service.explain(SearchRequest(q="運用自動化の話"))
    assert explained["hits"][0]["tier"] == "all"


def test_two_english_words_relax_like_any_others(service):
    # two Latin words in a row may be one word written apart (Fast API), which
    # must not stop the relaxed tiers: sessions with Kubernetes are found
    found = ids(service, "Kubernetes Zorgemorph")
    assert "ml-night-2023/kubernetes上のmlops基盤" in found
    assert ids(service, "Zorgemorph Quuxbarian") == []


def test_a_katakana_name_written_with_a_nakaguro_finds_its_parts(service):
    found = service.search(SearchRequest(q="アノテーション・ゾルゲモルフ"))
    assert found.total >= 1 and all(
        "アノテーション" in (h.record.title + h.record.body) for h in found.hits)


def test_what_a_word_stands_for_may_name_a_topic(service):
    # モノのインターネット is an abbreviation's long form; IoT names the topic
    explained = service.explain(SearchRequest(q="モノのインターネット"))
    assert explained["clauses"][0]["topic"] == "iot"
    # sessions filed under IoT first, then sessions of events tagged IoT
    own = ["iot" in [t.id for t in h.record.topics]
           for h in service.search(SearchRequest(q="モノのインターネット")).hits]
    assert explained["hits"] and own[0] and own == sorted(own, reverse=True)
    assert all(m["via"] == "event topic" for h in explained["hits"][own.count(True):]
               for m in h["fields"]["event_topics"])


def test_english_finds_the_notes_derived_form_and_its_loanword(service):
    # containerization is written nowhere; コンテナ is glossed container, its stem
    assert ids(service, "containerization") == ["cloud-day-2021/azureで始めるコンテナ運用"]


def test_a_long_compound_counts_where_all_but_a_word_at_its_end_is_found(tmp_path_factory,
                                                                        topics):
    # 機械学習モデル is written nowhere; a session on 機械学習 and 運用 holds more of
    # "機械学習モデルを運用する" than one on 運用 alone
    notes = {"a.md": "---\nevent: E\n---\n## 運用の話\nサーバーの運用を見直した。\n"
                     "## 学習の話\n機械学習の仕組みと運用。\n"
                     "## 天気\n今日は晴れ。\n## 昼食\nカレーを食べた。\n"}
    with service_of(tmp_path_factory, topics, notes) as other:
        explained = other.explain(SearchRequest(q="機械学習モデルを運用する"))
        assert [(h["id"], h["lacks"]) for h in explained["hits"]] == [
            ("e/学習の話", []), ("e/運用の話", ["機械学習モデル"])]
