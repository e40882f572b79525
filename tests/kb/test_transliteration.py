"""Words across scripts: katakana loanwords and English, kana names and romaji."""

import pytest

from kb.requests import SearchRequest
from tests.conftest import service_of
from kb.transliteration import close_forms, latin_spelling, romaji, sound_key


def test_romaji_spells_kana_in_hepburn():
    assert romaji("すえだ") == "sueda"
    assert romaji("コルーチン") == "koruuchin"
    assert romaji("ジェットパック") == "jettopakku"
    assert latin_spelling("とうきょう") == "tokyo"


@pytest.mark.parametrize("kana, english", [
    ("コルーチン", "coroutine"), ("コルーチン", "coroutines"), ("フォルダブル", "foldable"),
    ("トイル", "toil"), ("ダーク", "dark"), ("ディメンショナル", "dimensional"),
    ("ジェスチャー", "gesture"), ("ナビゲーション", "navigation"),
    ("サーバーレス", "serverless"), ("モデリング", "modeling"),
    # a u heard as yu, and the k of Greek ch
    ("ユーザビリティ", "usability"), ("アーキテクチャ", "architecture"),
    ("テクノロジー", "technology"), ("スキーマ", "schema"), ("キャラクター", "character"),
    # an s that is no plural; vowels katakana writes its own way (エイ, アイ, ア for -er)
    ("ジェンキンス", "jenkins"), ("パンダス", "pandas"), ("ウィンドウズ", "windows"),
    ("ネイティブ", "native"), ("パイソン", "python"), ("モバイル", "mobile"),
    ("ドッカー", "docker"), ("ジュピター", "jupyter"), ("ルビー", "ruby"), ("マッチ", "match"),
    ("ウインドウ", "window"),  # ウイ at the start is a w, as ウィ is
    # an r heard or not, er as アー, air as エア, qu as ク, the d of dj unheard
    ("テンソルフロー", "tensorflow"), ("サーバー", "server"), ("ファースト", "first"),
    ("エアフロー", "airflow"), ("ビッグクエリ", "bigquery"), ("ジャンゴ", "django"),
])
def test_a_loanword_sounds_like_its_english(kana, english):
    assert sound_key(kana) and close_forms(kana, english)


@pytest.mark.parametrize("kana, english", [
    ("トイル", "tool"),  # short words must agree letter for letter
    ("ゲス", "guest"), ("テスト", "toast"), ("ピーター", "potter"),
    # a vowel before the first consonant is heard; only an -er ends in ア
    ("オプション", "python"), ("パソナ", "python"),
])
def test_other_words_do_not(kana, english):
    assert not close_forms(kana, english)


@pytest.fixture(scope="module")
def service(tmp_path_factory, topics):
    notes = {"a.md": "---\nevent: 越境の回\n---\n"
             "## Understanding Coroutines - Takumi Sueda\nCoroutines make async code read in order.\n"
             "## トイルを減らす\n手作業のトイルを自動化した。\n"
             "## 表を読む\nDataFrames in pandas read tables.\n"
             "## 関係ない話\n今日は晴れ。\n"}
    with service_of(tmp_path_factory, topics, notes) as service:
        yield service


@pytest.mark.parametrize("q, title", [
    ("コルーチン", "Understanding Coroutines - Takumi Sueda"),
    ("toil", "トイルを減らす"),
    ("すえださん", "Understanding Coroutines - Takumi Sueda"),
    ("パンダス", "表を読む"),  # the index keeps pandas as panda
])
def test_a_word_finds_its_other_script(service, q, title):
    assert [h.record.title for h in service.search(SearchRequest(q=q)).hits] == [title]


def test_long_vowel_marks_alone_have_no_sound():
    from kb.transliteration import romaji

    assert romaji("ーーー") == "" and romaji("アーー") == "aaa"
