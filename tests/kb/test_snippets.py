"""Snippets: a window of the text, escaped, with whole matching words marked."""

from kb.analysis import JapaneseTokenizer
from kb.snippets import Prepared, prepared_snippet, probes, snippet, sought, word_bounds


def mark(text, terms, fragments=()):
    """A snippet as search makes it, from boundaries stored as the indexer stores them."""
    return snippet(text, word_bounds(JapaneseTokenizer(), text), terms, fragments).html()


def test_whole_words_are_marked_in_the_densest_window():
    text = ("前置き。" * 60) + "推論を高速化した。GPUで推論する。" + ("後書き。" * 60)
    html = mark(text, {"推論", "gpu"})
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>推論</mark>を" in html and "<mark>GPU</mark>" in html


def test_inflected_words_are_found_through_their_stem():
    assert "止" in probes({"止める"})
    html = mark("夜間はインスタンスを止めた。", {"止める"})
    assert "<mark>止め</mark>" in html


def test_text_is_escaped_around_marks():
    html = mark('<script>alert("x")</script> GPU & TPU', {"gpu"})
    assert "&lt;script&gt;" in html and "<mark>GPU</mark> &amp; TPU" in html


def test_katakana_fragments_are_marked_inside_words():
    html = mark("アノテーションの品質", set(), ("アノテ",))
    assert html == "<mark>アノテ</mark>ーションの品質"


def test_no_match_gives_the_start_of_the_text():
    assert mark("あいうえお" * 100, {"gpu"}).startswith("あいうえお")


def test_single_kana_cannot_place_a_window():
    assert probes({"る", "x", "化"}) == {"化"}


def test_only_whole_words_are_marked():
    html = mark("MAILで学習データと機械学習の話。作品を作った。", {"ai", "学習", "作る"})
    assert "M<mark>" not in html and "<mark>学習</mark>データ" in html
    assert "機械<mark>学習</mark>" in html and "<mark>作っ</mark>た" in html
    assert "<mark>作品" not in html


def test_joined_latin_words_match_by_their_parts():
    assert "<mark>de:code</mark>" in mark("de:code 2020 の基調講演", {"code"})


def test_particles_are_not_stored_as_words():
    text = "GPUでの推論"
    stored = word_bounds(JapaneseTokenizer(), text)
    assert len(stored) == 2 * 2 * 4  # GPU and 推論: two words, start and end, four bytes each
    assert mark(text, {"で", "の"}) == text


def test_text_folded_to_another_length_is_still_marked():
    text = "㍻の話とGPU"  # NFKC turns ㍻ into 平成: offsets of the folded text move
    assert "<mark>GPU</mark>" in mark(text, {"gpu"})


def test_a_snippet_is_text_with_marked_pieces_that_each_side_renders():
    text = "前置き  GPU\n\n  の 推論<b>"
    cut = snippet(text, word_bounds(JapaneseTokenizer(), text), {"gpu", "推論"})
    assert cut.text == "前置き GPU の 推論<b>"
    assert [p for p, marked in cut.pieces if marked] == ["GPU", "推論"]
    assert cut.html() == "前置き <mark>GPU</mark> の <mark>推論</mark>&lt;b&gt;"
    assert cut.render(str, lambda p: f"[{p}]") == "前置き [GPU] の [推論]<b>"


def test_a_match_deep_in_notes_that_fold_to_another_length_is_shown():
    text = "ｶﾞｲﾀﾞﾝｽ ㈱ 前置き。" + "関係のない話が続く。" * 60 + "最後にGPUの推論を速くした。"
    shown = mark(text, {"gpu", "推論"})
    assert "<mark>GPU</mark>" in shown and "<mark>推論</mark>" in shown
    assert shown.startswith("…")
    assert mark("ｱﾉﾃｰｼｮﾝ の話", set(), ("アノテ",)).startswith("<mark>ｱﾉﾃ</mark>")


def test_latin_words_are_marked_through_their_pieces_parts_and_singular():
    assert mark("Go1.21で変わった", {"go", "1.21"}) == "<mark>Go1.21</mark>で変わった"
    assert mark("data pipelines, APIs", {"pipeline", "api"}) == \
        "data <mark>pipelines</mark>, <mark>APIs</mark>"
    assert mark("de:code 2020", {"code"}) == "<mark>de:code</mark> 2020"


def test_letters_unidic_calls_symbols_are_marked():
    assert mark("β分布を使う", {"β"}) == "<mark>β</mark>分布を使う"


def test_plurals_are_marked_through_their_singular():
    html = mark("Two libraries and their analyses of pipelines", {"library", "analysis", "pipeline"})
    assert "<mark>libraries</mark>" in html and "<mark>analyses</mark>" in html
    assert "<mark>pipelines</mark>" in html


def test_a_word_cut_by_the_window_edge_is_marked_as_far_as_shown():
    text = "推論の話。" + "関係のない話が続く。" * 13 + "最後にアノテーション"
    shown = mark(text, {"推論", "アノテーション"})
    assert shown.startswith("<mark>推論</mark>") and shown.endswith("</mark>…")


def test_what_a_search_looks_for_is_worked_out_once_for_all_its_hits():
    looked = sought({"gpu", "止める", "library"}, ("アノテ",))
    assert looked.stems == {"止"} and looked.latin and "librar" in looked.inside
    texts = ["夜間はGPUを止めた。アノテーションの libraries", "ｱﾉﾃｰｼｮﾝ ㈱ の話と ＧＰＵ"]
    for text in texts:
        stored = word_bounds(JapaneseTokenizer(), text)
        assert snippet(text, stored, looked) == snippet(text, stored, {"gpu", "止める", "library"},
                                                       ("アノテ",))


def test_a_prepared_text_folds_once_and_cuts_the_snippets_of_any_search():
    text = "前置き…ＧＰＵの話。ｱﾉﾃｰｼｮﾝを止めた。" * 3
    stored = word_bounds(JapaneseTokenizer(), text)
    prepared = Prepared(text, stored)
    for terms, fragments in [({"gpu"}, ()), ({"止める"}, ("アノテ",)), (set(), ()), ({"推論"}, ())]:
        assert prepared_snippet(prepared, sought(terms, fragments)) == \
            snippet(text, stored, terms, fragments)
    assert prepared.folded is prepared.folded  # kept from the first snippet on
    assert prepared_snippet(Prepared(text, b""), {"gpu"}) == snippet(text, b"", {"gpu"})


def test_stored_words_are_the_words_the_index_keeps():
    from array import array

    from kb.analysis import is_stop

    tokenizer = JapaneseTokenizer()
    for text in ["佐藤さんはα版のAPIを、する事になった。", "Go1.21 と C++（β）を ★ 使う", "",
                 "九州の𠮷野家で 「データ」 を見る ... 1.2.3"]:
        kept = array("I", [at for start, end, surface, tag, lemma, _ in tokenizer.morphemes(text)
                           if not is_stop(tag, lemma, surface) for at in (start, end)])
        assert word_bounds(tokenizer, text) == kept.tobytes(), text
