"""The per-generation vocabulary: readings, katakana runs and kana segmentation."""

from kb.analysis import JapaneseTokenizer
from kb.engine import IndexStore
from kb.vocabulary import (HAS_KANJI, build_vocabulary, is_kana, kanji_readings, katakana_runs,
                           segment_reading, stored_readings, to_katakana, word_frequencies)


def test_kana_helpers():
    assert to_katakana("こんごうせいど") == "コンゴウセイド"
    assert is_kana("りんり") and is_kana("ﾘﾝﾘ") and not is_kana("倫理")


def test_kanji_words_by_reading_include_suffix_readings():
    readings = kanji_readings(JapaneseTokenizer(), {"機械": 5, "機会": 2, "化": 3, "data": 9})
    assert readings["キカイ"] == ("機械", "機会")  # most frequent first
    assert "化" in readings["カ"]  # as in 量子化, not 化ける
    assert all("data" not in words for words in readings.values())


def test_katakana_runs_count_texts_once():
    assert katakana_runs(["アノテーションとアノテーション", "ｱﾉﾃｰｼｮﾝ"]) == {"アノテーション": 2}


def test_segmentation_prefers_fewest_pieces():
    readings = {"コンゴウ": ("混合",), "セイド": ("精度",), "コン": ("紺",), "ゴウ": ("号",)}
    assert segment_reading("こんごうせいど", readings, 4) == [("コンゴウ", "セイド")]
    assert segment_reading("こんにちは", readings, 4) == []


def test_reading_search_ranks_below_direct_matches(search):
    found = [r["id"] for r in search("りんり")["results"]]
    assert found[0] == "cloud-day-2021/倫理的なai開発のためのガイドライン"
    found = [r["id"] for r in search("こんごうせいど")["results"]]
    assert set(found[:2]) == {
        "ml-night-2023/深層学習モデルの軽量化と量子化",
        "decode-2020/ai-とデータ-サイエンスを加速する-nvidia-の最新-gpu"}


def test_readings_kept_by_the_indexer_give_the_same_vocabulary(index_dir):
    """What `kb index` stored reads as the analyser reads every word at start-up."""
    with IndexStore(index_dir).open().reader() as reader:
        kept = stored_readings(reader)
        words = word_frequencies(reader)
        vocabulary = build_vocabulary(reader)
    assert kept["倫理"] == ["リンリ"] and kept["混合"] == ["コンゴウ"]
    kanji = {w for w in words if HAS_KANJI.search(w)}
    assert kanji <= set(kept)  # every kanji word of titles and notes was read once
    assert vocabulary.readings == kanji_readings(JapaneseTokenizer(), words)


def test_katakana_words_keep_their_gloss_for_snippets():
    from kb.vocabulary import glossed_words, word_readings

    known = word_readings(JapaneseTokenizer(), {"ブラウザ", "ブラウザー", "機械", "go"})
    assert known["≈ブラウザ"] == ["browser"] and "≈go" not in known
    assert glossed_words({"ブラウザ": 3, "ブラウザー": 5, "機械": 1}, known)["browser"][0] == "ブラウザー"
