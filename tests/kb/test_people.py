"""People: speakers named in titles, romanisation keys, and the speakers field's terms."""

import pytest

from kb.analysis import JapaneseTokenizer
from kb.analysis import SpeakerAnalyzer
from kb.people import mentioned_speakers, name_key, title_speakers
from kb.transliteration import VOICELESS, fold_romaji, voiceless_key


@pytest.fixture(scope="module")
def tokenizer():
    return JapaneseTokenizer()


@pytest.mark.parametrize("title, speakers", [
    ("型ヒント入門 - 佐藤 一郎氏", ("佐藤 一郎",)),
    ("「非同期処理の話」 ― Jane Doe", ("Jane Doe",)),
    ("「非同期処理の話」ー山口明日香", ("山口明日香",)),
    ("データ基盤の作り方 - Kenta Morimoto", ("Kenta Morimoto",)),
    ("データ基盤の作り方 - Kenji Satoh", ("Kenji Satoh",)),
    ("Keynote: Data - Ms. Anna Berg", ("Anna Berg",)),
    ("「ログ設計」 - 森本健太 (Kenta Morimoto)", ("森本健太", "Kenta Morimoto")),
    ("「ログ設計」 - 森本健太氏（ABC株式会社）", ("森本健太",)),
    ("「ログ設計」 - 森本健太、山口明日香", ("森本健太", "山口明日香")),
    ("「ログ設計」 - kenta_m", ("kenta_m",)),
    ("CI入門 - tanaka 氏", ("tanaka",)),
])
def test_names_at_the_end_of_titles_are_speakers(tokenizer, title, speakers):
    assert title_speakers(title, tokenizer) == speakers


@pytest.mark.parametrize("title", [
    "インフラ入門 - 答え合わせ",
    "生成AIの時代 ― 設計を超えて",
    "Kubernetes入門 - Deep Dive",
    "データ基盤の作り方 - Getting Started",
    "「ログ設計 - 実践編」",
    "JAX-RS入門",
    "サーバーレス入門",
    "Go入門 - Part 2",
    "「ログ設計」 - Work in Progress",
    "型ヒント入門 - 東京会場",
])
def test_subtitles_are_not_speakers(tokenizer, title):
    assert title_speakers(title, tokenizer) == ()


def test_romanisation_keys_fold_long_vowels_and_n():
    assert {fold_romaji(w) for w in ("Satō", "Satou", "Satoh", "SATO")} == {"sato"}
    assert fold_romaji("Ohno") == fold_romaji("Oono") == "ono"
    assert fold_romaji("Namba") == "nanba"
    assert name_key("さとう") == name_key("サトー") == ("sato", True)
    assert name_key("佐藤さん", JapaneseTokenizer()) == ("sato", False)
    assert name_key("砂糖", JapaneseTokenizer()) == ("", False)


def test_speaker_names_carry_their_keys_beside_each_word():
    terms = [(t.text, t.pos) for t in SpeakerAnalyzer()("佐藤一郎氏\nPeter Wang", positions=True)
             if not t.text.startswith(VOICELESS)]
    assert terms[:5] == [("佐藤", 0), ("sato", 0), ("一郎", 1), ("ichiro", 1), ("satoichiro", 0)]
    peter = dict(terms)["peter"]
    assert peter > 1 and ("wang", peter + 1) in terms
    assert "氏" not in dict(terms)


def test_names_on_two_lines_never_form_a_phrase():
    positions = [t.pos for t in SpeakerAnalyzer()("佐藤\n鈴木", positions=True, mode="query")]
    assert positions[1] - positions[0] > 1


def test_a_name_read_in_kana_also_has_a_key_without_voicing():
    # 末田 is すえだ to its owner and スエタ to UniDic: voicing in names is each family's
    assert voiceless_key("すえだ") == voiceless_key("スエタ") == "sueta"
    assert voiceless_key("なかじま") == voiceless_key("なかしま")
    terms = {t.text for t in SpeakerAnalyzer()("末田 卓巳\nてらだよしお", positions=True)}
    assert {VOICELESS + "sueta", VOICELESS + "suetatakumi", "teradayoshio",
            VOICELESS + "teratayoshio"} <= terms


def test_the_notes_say_who_gave_a_talk():
    text = ("株式会社に所属する末田卓巳氏による発表です。次はCory Althoff氏による講演。\n"
            "てらだよしおさんによる「台本の無い」セッション。")
    assert mentioned_speakers(text) == ("末田卓巳", "Cory Althoff", "てらだよしお")
    assert mentioned_speakers("この手法による改善") == ()
