"""A word written another way, word by word: the other kana script, English for katakana."""

import pytest

from kb.people import line_speakers
from kb.requests import SearchRequest
from tests.conftest import service_of

NOTES = {
    "a.md": "---\nevent: 書き方の回\n---\n"
            "## べき等性を理解する\nAnsibleのタスクはべき等に書く。\n"
            "## Webアプリケーションの仕組み\nリクエストとレスポンスの流れ。\n"
            "## Supporting Dark Theme\nAndroid Q adds a system-wide dark theme.\n"
            "## 別の話\n今日は晴れ。\n"
            "## 温度を測る\nRaspberryPiにセンサーをつないだ。\n",
    "b.md": "---\nevent: 登壇者を書く回\n---\n"
            "## 型の話\n+ 登壇者 : 山田 太郎 ( @yamada_t ) さん 株式会社例\n\n型ヒントを段階的に入れた。\n"
            "## 赤裸々タイム\n+ 登壇者 : てらだよしお さん\n\n台本のない話。\n",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory, topics):
    with service_of(tmp_path_factory, topics, NOTES) as service:
        yield service


@pytest.mark.parametrize("q, title", [
    ("ベキ等性", "べき等性を理解する"),  # katakana for hiragana
    ("ウェブアプリケーション", "Webアプリケーションの仕組み"),  # one loanword in English
    ("ダークテーマ", "Supporting Dark Theme"),  # every loanword in English
    ("yamada", "型の話"),  # a speaker named on a 登壇者: line
    ("やまださん", "型の話"),
    ("ラズパイ", "温度を測る"),  # a synonym (Raspberry Pi) written as one word
    # a name written in kana reads as written: MeCab takes だ in てらだよしお for a copula
    ("寺田佳央さん", "赤裸々タイム"),
    ("Terada Yoshio", "赤裸々タイム"),
])
def test_found_as_written_another_way(service, q, title):
    assert [h.record.title for h in service.search(SearchRequest(q=q)).hits][:1] == [title]


def test_speakers_on_a_line_of_the_notes():
    text = ("+ 登壇者 : 寺田 佳央 ( @yoshioterada )　さん 日本の会社\n"
            "- 発表者：山田花子、佐藤一郎\nSpeaker: Takumi Sueda\n+ 資料: https://example.com\n")
    assert line_speakers(text) == ("yoshioterada", "寺田 佳央", "山田花子", "佐藤一郎",
                                   "Takumi Sueda")
    assert line_speakers("登壇者が多かった。") == ()
