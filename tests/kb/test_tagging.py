"""Topics of sessions: tags as evidence, a hierarchy, terms in their context."""

import pytest

from kb.analysis import JapaneseAnalyzer
from kb.indexer.documents import session_tags
from kb.indexer.notes import parse_note
from kb.tagging import Mention, TopicTagger, count_matches, term_pattern, term_positions, weigh
from kb.taxonomy import parse_taxonomy
from kb.text import markdown_to_text

from tests.conftest import SAMPLE_NOTES

# An invented meetup: the event is tagged GPU and Python, its sessions are not all about them.
MEETUP = """---
event: 計算機勉強会 2024
date: 2024-03-02
tags: [GPU, Python, mixed]
---
## 推論サーバーをGPUで動かす

- 画像分類モデルの推論を一台のGPUで受け付けた
- 待ち時間はバッチの大きさで決まる

## 勉強会の運営について

- 会場は駅から近い貸し会議室
- 次回の発表者を募集中
- 懇親会は近くの居酒屋

## 型ヒントとPython

- 関数の引数と戻り値に型ヒントを書く
- 変数アノテーションも使える
- mypyで型アノテーションを検査する
- アノテーションは実行時には何もしない
"""


@pytest.fixture(scope="module")
def tagger(taxonomy):
    return TopicTagger(taxonomy, JapaneseAnalyzer())


def topics_of(tagger, text, source="<string>"):
    """Topic ids of each session of a note, by title."""
    event = parse_note(text, source)
    return {s.title: [t.id for t in tagger.topics(*session_tags(event, s), s.title,
                                                  markdown_to_text(s.body))]
            for s in event.sessions}


def ids(topics):
    return {t.id for t in topics}


@pytest.fixture(scope="module")
def sample_topics(tagger):
    found = topics_of(tagger, (SAMPLE_NOTES / "decode-2020.md").read_text(encoding="utf-8"))
    return {title.split()[0]: set(topics) for title, topics in found.items()}


@pytest.mark.parametrize("title, expected", [
    ("アマダの", {"mlops", "azure", "devops", "machine-learning", "cloud"}),
    ("AI", {"gpu", "deep-learning", "machine-learning"}),  # the NVIDIA session
    ("AI・機械学習で新たに創出されるデータとアノテーションビジネス", {"ai-ethics", "data-annotation"}),
    ("リテール", {"retail-ai", "machine-learning"}),
    ("Azure", {"search", "azure", "cloud"}),
])
def test_sample_sessions_get_sensible_topics(sample_topics, title, expected):
    assert expected <= sample_topics[title]


def test_gpu_is_not_everywhere(sample_topics):
    assert "gpu" not in sample_topics["アマダの"]
    assert "mlops" not in sample_topics["AI"]
    # an event tagged AI・機械学習 does not make a search session about machine learning
    assert "machine-learning" not in sample_topics["Azure"]


def test_an_event_tag_is_evidence_not_a_verdict(tagger):
    found = topics_of(tagger, MEETUP)
    # one mention in its own notes is enough for a session to take the event's tag ...
    assert "gpu" in found["推論サーバーをGPUで動かす"]
    # ... a session that never mentions it does not take it
    assert "gpu" not in found["勉強会の運営について"] and "python" not in found["勉強会の運営について"]
    assert "python" in found["型ヒントとPython"]
    # a tag the taxonomy does not know is matched by its own name, found nowhere here
    assert not any("mixed" in topics for topics in found.values())


def test_an_event_tag_needs_less_evidence_than_the_text_alone(tagger):
    title, text = "推論サーバー", "画像分類モデルの推論を一台のGPUで受け付けた"
    assert "gpu" not in ids(tagger.topics([], [], title, text))
    assert "gpu" in ids(tagger.topics(["GPU"], [], title, text))


def test_a_post_of_one_session_keeps_its_categories():
    event = parse_note("---\ntitle: 日記\ntags: [GPU]\n---\n今日は散歩をした。\n")
    assert session_tags(event, event.sessions[0]) == ((), ("GPU",))


def test_a_sessions_own_tags_are_taken_as_they_are(tagger):
    assert "gpu" in ids(tagger.topics([], ["GPU"], "雑談", "天気の話をした"))


def test_tags_join_topics_in_any_case_or_width(tagger):
    topics = tagger.topics([], ["ｋｏｔｌｉｎ", "Spring Boot", "ＡＩ・機械学習"], "t", "")
    assert [(t.id, t.known) for t in topics] == [
        ("kotlin", True), ("spring", True), ("machine-learning", True), ("java", True)]


def test_unknown_tags_are_topics_of_their_own(tagger):
    topics = tagger.topics([], ["Elixir", "C++", "C#"], "t", "")
    assert [(t.id, t.label, t.known) for t in topics] == [
        ("elixir", "Elixir", False), ("c-plus-plus", "C++", False), ("c-sharp", "C#", False)]


def test_a_session_in_a_child_topic_is_in_its_parents(tagger):
    topics = tagger.topics([], [], "Jenkinsでビルドを速くする", "")
    assert {"jenkins", "ci", "devops"} == ids(topics)
    assert [t.id for t in tagger.topics([], ["Jenkins"], "t", "")] == ["jenkins", "ci", "devops"]


def test_evidence_for_narrower_topics_adds_up_to_the_parent(tagger):
    text = ("AWSで動かしていたものをAzureへ移し、バックアップはGCPに置いた。"
            "AWSとAzureの料金を比べた。")
    found = ids(tagger.topics([], [], "三社の比較", text))
    assert "cloud" in found
    assert not {"aws", "azure", "gcp"} & found  # each alone is mentioned once or twice


def test_a_title_mention_is_enough_and_a_passing_one_is_not(tagger):
    assert "gpu" in ids(tagger.automatic("GPUの話", ""))
    assert "gpu" not in ids(tagger.automatic("雑談", "GPUもあった。"))
    assert "gpu" in ids(tagger.automatic("雑談", "GPU。GPU。ＧＰＵ。GPUで学習。CUDAも。"))


def test_generic_terms_need_more_evidence(tagger):
    deploys = "金曜にデプロイした。デプロイは手順書どおり。夜にもう一度デプロイ。週明けにデプロイ。最後のデプロイ。"
    assert "devops" not in ids(tagger.automatic("リリースの振り返り", deploys))
    assert "devops" in ids(tagger.automatic("リリースの振り返り", deploys.replace("デプロイ", "DevOps")))
    assert "architecture" not in ids(tagger.automatic("NVIDIA の最新 GPU アーキテクチャ", ""))
    assert "architecture" in ids(tagger.automatic("マイクロサービスのアーキテクチャ", ""))


def test_a_mention_counts_less_in_long_notes(tagger):
    mentions = "Kubernetesにデプロイする。" * 5
    assert "kubernetes" in ids(tagger.automatic("雑談", mentions))
    padding = "会場は満席で、休憩中も話が続いた。" * 200
    assert "kubernetes" not in ids(tagger.automatic("雑談", mentions + padding))


def test_a_term_needs_the_words_it_must_occur_with(tagger):
    type_hints = "引数にアノテーションを書く。アノテーションで型を表す。型ヒントのアノテーション。" * 2
    labelling = "教師データを作るアノテーション。アノテーションの品質。機械学習のためのアノテーション。" * 2
    assert "data-annotation" not in ids(tagger.automatic("アノテーション入門", type_hints))
    assert "data-annotation" in ids(tagger.automatic("アノテーション入門", labelling))


def test_a_term_does_not_count_inside_a_longer_name(tagger):
    spring_cloud = "Spring Cloudで作る。Spring Cloudの設定。Spring Cloudの監視。" * 2
    found = ids(tagger.automatic("マイクロサービス", spring_cloud))
    assert {"spring", "java"} <= found and "cloud" not in found
    boot_camp = "Python Boot Campの開催地を地図に示した。Python Boot Campのスタッフ募集。"
    assert "python" not in ids(tagger.topics(["Python"], [], "ポスター発表", boot_camp))
    assert "network" not in ids(tagger.automatic("ニューラルネットワーク", "ニューラルネットワーク" * 6))


def test_a_topic_needs_its_context():
    taxonomy = parse_taxonomy("""\
topics:
  - id: retail-ai
    with: [AI, 機械学習]
    terms: [小売]
""")
    tagger = TopicTagger(taxonomy, JapaneseAnalyzer())
    assert not tagger.automatic("小売の現場", "小売の売り場を回った")
    assert ids(tagger.automatic("小売の現場", "小売の売り場にAIを入れた"))


def test_each_word_counts_once():
    # "Windows Server 2016" is one mention of Windows, not three
    mentions = [Mention("text", 0, 3, 1), Mention("text", 0, 2, 1), Mention("text", 0, 1, 1),
                Mention("text", 5, 6, 1), Mention("title", 0, 1, 5)]
    assert weigh(mentions) == 7


def test_variants_match(tagger):
    assert "mlops" in ids(tagger.automatic("MLOPS入門", ""))
    assert "machine-learning" in ids(tagger.automatic("機械学習の基礎", ""))


def test_patterns_match_consecutive_words_only():
    analyzer = JapaneseAnalyzer()
    pattern = term_pattern(analyzer, "混合精度演算")
    assert count_matches(term_positions(analyzer, "混合精度演算を使う"), pattern) == 1
    assert count_matches(term_positions(analyzer, "混合の精度で演算"), pattern) == 0


def test_nested_mentions_are_those_a_longer_mention_covers():
    from hypothesis import given
    from hypothesis import strategies as st

    from kb.tagging import Mention, nested

    mention = st.builds(lambda f, s, n, w: Mention(f, s, s + n, w),
                        st.sampled_from(["title", "text"]), st.integers(0, 8),
                        st.integers(1, 4), st.sampled_from([1.0, 0.5]))

    @given(st.sets(mention, max_size=12))
    def check(mentions):
        assert nested(mentions) == {m for m in mentions if any(m.inside(o) for o in mentions)}
    check()
