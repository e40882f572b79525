"""End to end through the search service: one thing written in different ways meets itself.

People by name, reading or romanisation; words UniDic tags as symbols; Latin
forms (Go1.21 ~ Go 1.21, FastAPI ~ Fast API, pipelines ~ pipeline); katakana
loanwords and their English words. A real index of notes written here.
"""

import re

import pytest

from kb.indexer.build import build_index
from kb.search import SearchRequest, SearchService

NOTES = """---
event: 書き方の勉強会 2024
id: forms-2024
date: 2024-03-01
---
## 型ヒントの実践 - 佐藤 一郎氏

型ヒントを段階的に付けていく話。mypyの設定も紹介された。

## 機械学習の運用
speakers: 鈴木次郎

モデルの監視と再学習について。

## 「検索の未来」 ― Peter Wang

全文検索の歴史を振り返る講演。

## 型システムの設計
speakers: ジョン・スミス

型の設計について。

## 推薦システムの評価 - Mizuki Satoh

オフライン評価とオンライン評価の違い。

## インフラ入門 - 答え合わせ

前回のクイズの答え合わせをした。

## Go1.21の新機能

Go1.21ではslogパッケージが標準ライブラリに入った。

## ES 2015 以降の JavaScript

ES 2015 でアロー関数とクラス構文が入った。

## Java8からの移行

Java8のラムダ式を振り返る。

## FastAPIで作るAPIサーバー

FastAPIの依存性注入を使うと見通しが良い。

## Spring Bootのバッチ処理

Spring Bootでバッチを書く手順。

## データ基盤の設計

Building data pipelines with Airflow and dbt.

## Python×AIの入門

TensorFlow／PyTorchの比較もした。

## ベイズ統計の基礎

β分布とγ分布を使う。α版のライブラリも紹介。

## ブラウザのキャッシュ戦略

ブラウザのキャッシュを正しく使うと表示が速くなる。

## Writing browser extensions

How a browser extension talks to a page.
"""


@pytest.fixture(scope="module")
def search(tmp_path_factory, topics, taxonomy):
    notes = tmp_path_factory.mktemp("notes")
    (notes / "forms-2024.md").write_text(NOTES, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    report = build_index(index, [notes], *topics, progress=False)
    assert report.ok, report.errors
    service = SearchService(index, taxonomy)

    def run(q, **kwargs):
        return service.search(SearchRequest(q=q, **kwargs)).to_dict()

    yield run
    service.close()


def titles(data):
    return [r["title"] for r in data["results"]]


def marked(data, title):
    snippet = next(r["snippet"] for r in data["results"] if r["title"] == title)
    return re.findall(r"<mark>(.*?)</mark>", snippet)


SATO = "型ヒントの実践 - 佐藤 一郎氏"
SATOH = "推薦システムの評価 - Mizuki Satoh"


# -- people ------------------------------------------------------------------

def test_an_honorific_never_constrains(search):
    for q in ("佐藤さん", "佐藤氏", "佐藤先生", "佐藤くん"):
        assert titles(search(q)) == titles(search("佐藤")), q
    assert SATO in titles(search("佐藤"))


@pytest.mark.parametrize("q", ["佐藤", "さとう", "サトウ", "Sato", "Satou", "satoh", "Satō", "speaker:さとう",
                               "いちろう", "Ichiro", "さとういちろう", "speaker:佐藤さん"])
def test_a_speaker_named_in_a_title_is_found_by_name_reading_and_romanisation(search, q):
    assert SATO in titles(search(q))


def test_a_listed_speaker_is_found_by_reading_and_romanisation(search):
    for q in ("鈴木", "すずき", "Suzuki", "speaker:Jiro"):
        assert titles(search(q)) == ["機械学習の運用"], q


def test_latin_names_meet_their_kana_and_kanji(search):
    assert titles(search("speaker:Peter")) == ["「検索の未来」 ― Peter Wang"]
    assert "「検索の未来」 ― Peter Wang" in titles(search("ピーター"))  # UniDic glosses ピーター Peter
    assert titles(search("speaker:John")) == titles(search("Smith")) == ["型システムの設計"]
    assert SATOH in titles(search("さとう"))
    # a name typed in kanji finds one written in Latin letters, below the one written so
    assert titles(search("佐藤"))[:2] == [SATO, SATOH]


def test_a_subtitle_is_no_speaker(search):
    assert search("speaker:答え合わせ")["total"] == 0
    assert search("答え合わせ")["total"] == 1


# -- symbols -----------------------------------------------------------------

def test_words_unidic_tags_as_symbols_are_found(search):
    for q in ("β", "β分布", "γ", "α版", "アルファ"):
        data = search(q)
        assert titles(data) == ["ベイズ統計の基礎"], q
    assert marked(search("β"), "ベイズ統計の基礎") == ["β"]


# -- Latin forms ---------------------------------------------------------------

@pytest.mark.parametrize("q, title", [
    ("Go 1.21", "Go1.21の新機能"), ('"Go 1.21"', "Go1.21の新機能"), ("Go1.21", "Go1.21の新機能"),
    ("ES2015", "ES 2015 以降の JavaScript"), ('"ES 2015"', "ES 2015 以降の JavaScript"),
    ("Java 8", "Java8からの移行"), ("Fast API", "FastAPIで作るAPIサーバー"),
    ('"Fast API"', "FastAPIで作るAPIサーバー"), ("SpringBoot", "Spring Bootのバッチ処理"),
    ("pipeline", "データ基盤の設計"), ("Pipelines", "データ基盤の設計"),
    ("AI", "Python×AIの入門"), ("PyTorch", "Python×AIの入門"),
])
def test_latin_forms_meet(search, q, title):
    assert title in titles(search(q))


def test_a_number_is_a_word_but_not_a_piece_of_another_number(search):
    assert titles(search("8")) == ["Java8からの移行"]
    assert search("21")["total"] == 0  # 1.21 is one number


def test_latin_forms_are_marked_in_snippets(search):
    assert marked(search("Go 1.21"), "Go1.21の新機能") == ["Go1.21"]
    assert marked(search("pipeline"), "データ基盤の設計") == ["pipelines"]
    assert marked(search("Fast API"), "FastAPIで作るAPIサーバー") == ["FastAPI"]
    assert marked(search("SpringBoot"), "Spring Bootのバッチ処理") == ["Spring", "Boot"]


# -- katakana and English ------------------------------------------------------

def test_an_english_word_finds_the_katakana_word_below_itself(search):
    data = search("browser")
    assert titles(data) == ["Writing browser extensions", "ブラウザのキャッシュ戦略"]
    assert marked(data, "ブラウザのキャッシュ戦略") == ["ブラウザ"]


def test_a_katakana_word_finds_the_english_word_below_itself(search):
    data = search("ブラウザ")
    assert titles(data) == ["ブラウザのキャッシュ戦略", "Writing browser extensions"]
    assert marked(data, "Writing browser extensions") == ["browser"]


def test_a_corrected_gloss_leads_to_the_right_sense_only(search):
    # UniDic glosses キャッシュ as "cash"; data/synonyms.yaml says "cache"
    assert titles(search("cache")) == ["ブラウザのキャッシュ戦略"]
    assert marked(search("cache"), "ブラウザのキャッシュ戦略") == ["キャッシュ"]
    assert search("cash")["total"] == 0
