"""Snippets: a window of the text, escaped, with whole matching words marked."""

from kb.analysis import JapaneseAnalyzer
from kb.snippets import probes, snippet


def test_whole_words_are_marked_in_the_densest_window():
    text = ("前置き。" * 60) + "推論を高速化した。GPUで推論する。" + ("後書き。" * 60)
    html = snippet(JapaneseAnalyzer(), text, {"推論", "gpu"})
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>推論</mark>を" in html and "<mark>GPU</mark>" in html


def test_inflected_words_are_found_through_their_stem():
    assert "止" in probes({"止める"})
    html = snippet(JapaneseAnalyzer(), "夜間はインスタンスを止めた。", {"止める"})
    assert "<mark>止め</mark>" in html


def test_text_is_escaped_around_marks():
    html = snippet(JapaneseAnalyzer(), '<script>alert("x")</script> GPU & TPU', {"gpu"})
    assert "&lt;script&gt;" in html and "<mark>GPU</mark> &amp; TPU" in html


def test_katakana_fragments_are_marked_inside_words():
    html = snippet(JapaneseAnalyzer(), "アノテーションの品質", set(), ("アノテ",))
    assert html == "<mark>アノテ</mark>ーションの品質"


def test_no_match_gives_the_start_of_the_text():
    assert snippet(JapaneseAnalyzer(), "あいうえお" * 100, {"gpu"}).startswith("あいうえお")


def test_single_kana_cannot_place_a_window():
    assert probes({"る", "x", "化"}) == {"化"}
