"""Topics of sessions: tags, and automatic topics from analysed match terms."""

import pytest

from kb.indexer.notes import parse_note
from kb.analysis import JapaneseAnalyzer
from kb.tagging import TopicTagger, count_matches, term_pattern, term_positions
from kb.text import markdown_to_text

from tests.conftest import SAMPLE_NOTES


@pytest.fixture(scope="module")
def tagger(taxonomy):
    return TopicTagger(taxonomy, JapaneseAnalyzer())


@pytest.fixture(scope="module")
def sample_topics(tagger):
    event = parse_note((SAMPLE_NOTES / "decode-2020.md").read_text(encoding="utf-8"))
    return {s.title.split()[0]: {t.id for t in tagger.topics(event.tags, s.tags, s.title,
                                                             markdown_to_text(s.body))}
            for s in event.sessions}


@pytest.mark.parametrize("title, expected", [
    ("アマダの", {"mlops", "azure", "devops"}),
    ("AI", {"gpu", "deep-learning"}),  # the NVIDIA session
    ("AI・機械学習で新たに創出されるデータとアノテーションビジネス", {"ai-ethics", "data-annotation"}),
    ("リテール", {"retail-ai"}),
    ("Azure", {"search", "azure"}),
])
def test_sample_sessions_get_sensible_topics(sample_topics, title, expected):
    assert expected <= sample_topics[title]


def test_event_tags_resolve_through_aliases(sample_topics):
    assert all("machine-learning" in topics for topics in sample_topics.values())


def test_gpu_is_not_everywhere(sample_topics):
    assert "gpu" not in sample_topics["アマダの"]
    assert "mlops" not in sample_topics["AI"]


def test_a_title_hit_counts_more_than_a_passing_mention(tagger):
    assert "gpu" in {t.id for t in tagger.automatic("GPUの話", "")}
    assert "gpu" not in {t.id for t in tagger.automatic("雑談", "GPUもあった。")}
    assert "gpu" in {t.id for t in tagger.automatic("雑談", "GPU。GPU。ＧＰＵ。")}


def test_variants_match(tagger):
    assert "mlops" in {t.id for t in tagger.automatic("MLOPS入門", "")}
    assert "machine-learning" in {t.id for t in tagger.automatic("機械学習の基礎", "")}


def test_unknown_tags_are_topics_of_their_own(tagger):
    topics = tagger.topics(["Rust", "C++", "C#"], ["MLOps"], "t", "")
    assert [(t.id, t.label, t.known) for t in topics][:3] == [
        ("rust", "Rust", False), ("c-plus-plus", "C++", False), ("c-sharp", "C#", False)]
    assert topics[3].id == "mlops" and topics[3].known


def test_patterns_match_consecutive_words_only():
    analyzer = JapaneseAnalyzer()
    pattern = term_pattern(analyzer, "混合精度演算")
    assert count_matches(term_positions(analyzer, "混合精度演算を使う"), pattern) == 1
    assert count_matches(term_positions(analyzer, "混合の精度で演算"), pattern) == 0
