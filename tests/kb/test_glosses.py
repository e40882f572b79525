"""Glosses of loanwords: split from UniDic's lemmas, indexed marked, corrected by synonyms."""

import pytest

from kb.analysis import JapaneseAnalyzer, JapaneseTokenizer
from kb.errors import NoteError
from kb.glosses import GlossTable, split_gloss
from kb.synonyms import parse_synonyms


def test_split_gloss():
    assert split_gloss("ブラウザ-browser") == ("ブラウザ", "browser")
    assert split_gloss("スタートアップ-start-up") == ("スタートアップ", "startup")
    assert split_gloss("為る") == ("為る", "")
    assert split_gloss("scikit-learn") == ("scikit-learn", "")


def test_glosses_are_indexed_marked_at_the_word_once_per_text():
    text = "ブラウザのキャッシュとブラウザ"
    found = [(t.text, t.pos, text[t.startchar:t.endchar])
             for t in JapaneseAnalyzer()(text, positions=True, chars=True)]
    assert found[:2] == [("ブラウザ", 0, "ブラウザ"), ("≈browser", 0, "ブラウザ")]
    assert [t for t, _, _ in found].count("≈browser") == 1
    assert not [t for t in JapaneseAnalyzer()(text, mode="query") if t.text.startswith("≈")]


def test_a_gloss_of_one_kana_is_not_indexed():
    # トイル (toil) is cut into トイ-toy and ル-le
    assert [t.text for t in JapaneseAnalyzer()("トイル") if t.text.startswith("≈")] == ["≈toy"]


def test_corrections_replace_a_gloss_and_stop_the_old_one_leading_there():
    table = GlossTable.of({"キャッシュ": "cache", "オン": ""}, JapaneseTokenizer())
    assert table.gloss("キャッシュ", "cash") == "cache" and table.gloss("オン", "on") == ""
    assert table.words_glossed("cache") == ["キャッシュ"]
    assert table.misleads("cash") and table.misleads("on") and not table.misleads("browser")


def test_synonyms_read_gloss_corrections():
    synonyms = parse_synonyms("glosses:\n  キャッシュ: Cache\n  オン: null\n")
    assert synonyms.glosses == {"キャッシュ": "cache", "オン": ""}


def test_bad_gloss_corrections_name_their_line():
    with pytest.raises(NoteError, match=r"x.yaml:3: 'glosses:' must map"):
        parse_synonyms("groups: []\n\nglosses: [キャッシュ]\n", "x.yaml")
