"""The Japanese analyzer on real sentences of the sample notes."""

import pickle

import pytest

from kb.analysis import FragmentAnalyzer, JapaneseAnalyzer, normalize, strip_gloss


def tokens(text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in JapaneseAnalyzer()(text, positions=True, chars=True, **kwargs)]


def terms(text, mode="index"):
    return [t.text for t in JapaneseAnalyzer()(text, mode=mode)]


def test_offsets_point_into_the_original_text():
    text = "FP16を使う利点:最近のGPUではFP16の演算スループットがFP32の2倍~8倍高い"
    for term, _, start, end in tokens(text):
        assert text[start:end].strip() == text[start:end] != ""
        if term.isascii():
            assert normalize(text[start:end]) == term
    spans = {text[s:e] for _, _, s, e in tokens(text)}
    assert {"FP", "16", "GPU", "32", "演算", "スループット"} <= spans


def test_offsets_survive_whitespace_and_newlines():
    text = "NVIDIA A100  Tensorコア\n\tGPUの利用環境"
    found = {text[s:e]: t for t, _, s, e in tokens(text)}
    assert (found["A"], found["100"]) == ("a", "100")
    assert found["Tensor"] == "tensor"
    assert found["GPU"] == "gpu"
    assert found["利用"] == "利用"


def test_start_pos_and_start_char_are_honoured():
    first = tokens("混合精度演算", start_pos=10, start_char=100)
    assert [p for _, p, _, _ in first] == [10, 11, 12]
    assert [(s, e) for _, _, s, e in first] == [(100, 102), (102, 104), (104, 106)]


def test_particles_auxiliaries_and_punctuation_are_dropped():
    assert terms("AMPは、計算グラフを解析して", mode="query") == ["amp", "計算", "グラフ", "解析"]


def test_orthographic_variants_meet_on_the_lemma():
    assert "ソフトウェア" in terms("ソフトウエア")
    assert terms("ソフトウエア", mode="query") == terms("ソフトウェア", mode="query")
    assert terms("データー", mode="query") == terms("データ", mode="query")
    assert terms("ＧＰＵ") == terms("GPU") == ["gpu"]
    assert terms("MLOPS") == terms("MLOps") == ["mlops"]


def test_inflections_meet_on_the_lemma():
    assert terms("高速化した", mode="query") == terms("高速化する", mode="query")


def test_latin_words_stay_whole_and_index_their_parts():
    assert terms("MLOps TensorFlow", mode="query") == ["mlops", "tensorflow"]
    assert terms("de:code 2020", mode="query") == ["de:code", "2020"]
    assert terms("de:code") == ["de:code", "de", "code"]
    assert terms("TensorFlow/PyTorch/MXNet") == ["tensorflow", "pytorch", "mxnet"]


def test_proper_nouns_keep_their_surface():
    # UniDic's lemma of a name is its reading, which other names share
    assert terms("一色政彦") == ["一色", "政彦"]


def test_surface_is_indexed_beside_a_context_dependent_lemma():
    assert {"呼び出し", "呼び出す"} <= set(terms("オーバーフロー 呼び出し 設定"))


def test_gloss_is_stripped_from_loanword_lemmas():
    assert strip_gloss("データ-data") == "データ"
    assert strip_gloss("ソフトウェア-software") == "ソフトウェア"
    assert strip_gloss("為る") == "為る"


def test_analyzer_pickles_without_its_tagger():
    analyzer = JapaneseAnalyzer()
    assert terms("混合精度演算")  # the tagger now exists
    clone = pickle.loads(pickle.dumps(analyzer))
    assert [t.text for t in clone("混合精度演算")] == ["混合", "精度", "演算"]


def test_no_tokenize_gives_the_whole_value():
    analyzer = JapaneseAnalyzer()
    assert [t.text for t in analyzer("リテールAI研究会", tokenize=False)] == ["リテールai研究会"]


def test_fragments_are_katakana_bigrams_kept_apart_by_run():
    grams = [(t.text, t.pos) for t in FragmentAnalyzer()("アノテーションとリテール", positions=True)]
    assert grams[:3] == [("アノ", 0), ("ノテ", 1), ("テー", 2)]
    assert ("リテ", 8) in grams  # a gap between runs: no phrase spans both


def test_fragment_offsets():
    text = "データのアノテーション"
    for t in FragmentAnalyzer()(text, chars=True):
        assert text[t.startchar:t.endchar] == t.text


def test_symbols_that_are_letters_are_words_and_punctuation_is_not():
    text = "α版とβ、加藤九美さん。𠮷田 → 結果!!"
    found = {text[s:e] for _, _, s, e in tokens(text)}
    assert {"α", "β", "九", "美", "𠮷"} <= found
    assert not found & {"、", "。", "→", "!!", "さん"}
    assert ("α", 3) in [(t, p) for t, p, _, _ in tokens("アルファ版")] or \
        "α" in terms("アルファ版")  # UniDic's lemma of アルファ is α


def test_honorifics_after_a_name_are_dropped_with_their_offsets():
    text = "佐藤さんと佐藤先生とWangさんの発表"
    found = [(t, text[s:e]) for t, _, s, e in tokens(text)]
    assert found == [("佐藤", "佐藤"), ("佐藤", "佐藤"), ("wang", "Wang"), ("発表", "発表")]
    assert terms("先生の発表", mode="query") == ["先生", "発表"]  # not after a name: a word



MECAB_TEXTS = [
    "東京でPythonを書いた。",  # the last word has no reading
    "　猫です　",  # full-width spaces before the first word and after the last
    "* 猫 ＊ “引用” 、た",  # asterisks, and a word whose pos2 is "*"
    "ソフトウェアのAuzreと𠮷野家\n\nα線とアルファ",  # glosses, unknown words, a rare kanji
    "EOS です EOS",  # the end line's own text, as words
    "",
]


@pytest.mark.parametrize("text", MECAB_TEXTS)
def test_words_read_from_mecab_output_are_those_of_its_nodes(text):
    from kb.analysis import LATIN_TAG, JapaneseTokenizer, split_features

    tokenizer = JapaneseTokenizer()
    expected = []
    for node in tokenizer.tagger(text):
        f = split_features(node.feature_raw)
        if node.surface.isascii() and node.surface.isalpha():  # a Latin word, kept whole
            expected.append((node.surface, LATIN_TAG, node.surface, ""))
        elif len(f) > 7:
            expected.append((node.surface, f[0] + "," + f[1], f[7], f[6]))
        else:  # unknown to the dictionary: no lemma, no reading
            expected.append((node.surface, f[0] + "," + f[1], node.surface, ""))
    words = tokenizer.morphemes(text)
    assert [w[2:] for w in words] == expected
    assert all(text[start:end] == surface for start, end, surface, *_ in words)
