"""English words the notes never wrote find the Japanese ones they did, through JMdict."""

import pytest

from kb.dictionary import Dictionary, database_path
from kb.requests import SearchRequest
from tests.conftest import service_of

NOTES = {
    "a.md": "---\nevent: 翻訳の回\n---\n"
            "## 新しい農業\n畑のセンサーで農業を変える。\n"
            "## 異常検知入門\n時系列データの異常検知をPythonで。\n"
            "## agriculture in English\nThe notes write agriculture once.\n"
            "## 別の話\n今日は晴れ。\n"
            "## 注文の話\n注文を受けた。\n## 作業の話\nアノテーションの作業。\n"
            "## 起動を速く\nJVMの暖機運転を工夫した。\n"
            "## CIの流れ\nビルドのパイプラインを組む。\n## 財布の話\nキャッシュレス決済とキャッシュ。\n",
}


def test_jmdict_gives_japanese_for_english():
    assert database_path() is not None  # a dependency of kb: installed with it
    dictionary = Dictionary()
    assert "農業" in dictionary.japanese("agriculture")
    assert "検知" in dictionary.japanese("Detection")
    assert "暖機" in dictionary.japanese("warm up")  # a gloss with a note: "warm up (e.g. engine)"
    assert dictionary.japanese("qwzxv") == ()
    assert dictionary.japanese("'; DROP TABLE Kanji; --") == ()


@pytest.fixture(scope="module")
def service(tmp_path_factory, topics):
    with service_of(tmp_path_factory, topics, NOTES) as service:
        yield service


def titles(service, q):
    return [h.record.title for h in service.search(SearchRequest(q=q)).hits]


def test_an_english_word_finds_the_japanese_one_below_what_was_written(service):
    # written once in English, the word is still rare: both are found, the written one first
    assert titles(service, "agriculture") == ["agriculture in English", "新しい農業"]
    assert titles(service, "anomaly detection")[:1] == ["異常検知入門"]
    assert titles(service, "warm up") == ["起動を速く"]  # two words typed apart, looked up together
    # a loanword UniDic splits (パイプ-pipe ライン-line); a gloss synonyms.yaml corrects
    # wins over JMdict's (キャッシュ is cache here: cash finds nothing)
    assert titles(service, "pipeline") == ["CIの流れ"]
    assert titles(service, "cash") == []


def test_a_word_the_notes_write_as_a_loanword_is_not_translated(service):
    # JMdict has a 注文 (ちゅうぶん) that is an annotation; the notes write アノテーション
    assert titles(service, "annotation") == ["作業の話"]


def test_a_word_the_notes_use_is_not_translated(service, tmp_path_factory, topics):
    notes = {"b.md": "---\nevent: E\n---\n" + "".join(
        f"## agriculture {i}\nagriculture today.\n" for i in range(3)) + "## 農業\n農業の話。\n"}
    with service_of(tmp_path_factory, topics, notes) as other:
        assert "農業" not in titles(other, "agriculture")


def test_two_english_words_find_the_compound_they_translate_to(tmp_path_factory, topics):
    # each word is common in these notes, so neither is translated alone; together
    # they find the compound (静的 next to 解析, コード next to レビュー), not either word
    notes = {"c.md": "---\nevent: E\n---\n" + "".join(
        f"## analysis {i}\nstatic code and analysis of a review.\n" for i in range(3))
        + "## 型を見る\n静的解析でバグを探す。\n## 解析だけ\n構文の解析と、静かな的。\n"
        + "## 読み合う\nコードレビューの習慣。\n## 書く話\nコードを書いてレビューは別。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        found = titles(service, "static analysis")
        assert "型を見る" in found and "解析だけ" not in found
        found = titles(service, "code review")
        assert "読み合う" in found
        # the compound written together ranks above its words apart
        assert found.index("読み合う") < found.index("書く話")
