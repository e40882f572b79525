"""Synonyms: groups, renamed products and topic names, parsed and applied at query time."""

import pytest

from kb.errors import NoteError
from kb.config import load_synonyms
from kb.synonyms import parse_synonyms
from kb.taxonomy import parse_taxonomy


def test_groups_and_renamed_products_go_both_ways():
    synonyms = parse_synonyms("groups: [[ラズパイ, Raspberry Pi]]\n"
                              "renamed: {Azure Cognitive Search: Azure AI Search}\n")
    assert synonyms.lookup("ラズパイ") == ("Raspberry Pi",)
    assert synonyms.lookup("raspberry  PI") == ("ラズパイ",)
    assert synonyms.lookup("Azure AI Search") == ("Azure Cognitive Search",)
    assert synonyms.lookup("ＡＺＵＲＥ Cognitive Search") == ("Azure AI Search",)
    assert synonyms.lookup("GPU") == ()


def test_abbreviations_go_both_ways():
    synonyms = parse_synonyms("abbreviations: {IaC: Infrastructure as Code, PoC: [概念実証]}")
    assert synonyms.expand("iac") == ("Infrastructure as Code",)
    assert synonyms.expand("infrastructure  as code") == ("IaC",)
    assert synonyms.expand("概念実証") == ("PoC",) and synonyms.knows("PoC")


def test_topic_names_name_their_topic():
    taxonomy = parse_taxonomy("topics: [{id: gpu, label: GPU, aliases: [ジーピーユー]}]")
    synonyms = parse_synonyms("", taxonomy=taxonomy)
    assert synonyms.topic("ｇｐｕ") == synonyms.topic("ジーピーユー") == "gpu"
    assert synonyms.knows("GPU") and not synonyms.knows("CPU")


def test_a_katakana_name_is_found_with_or_without_its_final_long_vowel():
    taxonomy = parse_taxonomy("topics: [{id: arch, label: アーキテクチャ, aliases: [セキュリティー]}]")
    synonyms = parse_synonyms("", taxonomy=taxonomy)
    assert synonyms.topic("アーキテクチャー") == synonyms.topic("セキュリティ") == "arch"
    assert synonyms.topic("アーキ") is None


@pytest.mark.parametrize("text, message", [
    ("groups: [a, b]", "list of lists"),
    ("renamed: [a]", "old name"),
    ("groups: [[a, b]", "invalid YAML"),
    ("abbreviations: [a]", "long forms"),
])
def test_errors_name_the_file(text, message):
    with pytest.raises(NoteError, match=message) as caught:
        parse_synonyms(text, "synonyms.yaml")
    assert "synonyms.yaml" in str(caught.value)


def test_the_project_list_loads(taxonomy):
    synonyms = load_synonyms(taxonomy=taxonomy, environ={})
    assert "ディープラーニング" in synonyms.lookup("深層学習")
    assert synonyms.topic("深層学習") == "deep-learning"


def ids(data):
    return [r["id"] for r in data["results"]]


@pytest.mark.parametrize("q, written, other", [
    ("ラズパイ", "ml-night-2023/ラズパイで作るエッジ推論カメラ",
     "edge-ai-2024/ラズベリーパイで集める工場のセンサーデータ"),
    ("Raspberry Pi", "ml-night-2023/ラズパイで作るエッジ推論カメラ",
     "edge-ai-2024/ラズベリーパイで集める工場のセンサーデータ"),
    ("深層学習", "ml-night-2023/深層学習モデルの軽量化と量子化",
     "edge-ai-2024/ディープラーニング入門-画像分類を手元で試す"),
    ("Azure AI Search", "edge-ai-2024/azure-ai-searchで作る社内文書検索",
     "decode-2020/azure-cognitive-search-で作る-一歩先を行く検索機能"),
])
def test_what_was_written_ranks_above_its_synonyms(search, q, written, other):
    found = ids(search(q))
    assert found.index(written) < found.index(other)


def test_synonyms_are_highlighted(search):
    snippets = [r["snippet"] for r in search("ラズパイ")["results"]]
    assert any("<mark>ラズベリーパイ</mark>" in s or "<mark>ラズベリー</mark>" in s
               for s in snippets)


def test_names_a_word_cut_short_begins():
    synonyms = parse_synonyms("groups: [[ディープラーニング, 深層学習], [ディープフェイク, deepfake]]\n"
                              "abbreviations: {DDD: ドメイン駆動設計}")
    assert synonyms.names_starting("ディープ") == ["ディープフェイク", "ディープラーニング"]
    assert synonyms.names_starting("ドメイン駆") == ["ドメイン駆動設計"]
    assert synonyms.names_starting("ドメイン駆動設計") == []  # the whole name is no part of itself


def test_japanese_words_typed_apart_are_one_name():
    synonyms = parse_synonyms("groups: [[深層学習, deep learning]]")
    assert synonyms.lookup("深層 学習") == ("deep learning",)
    assert synonyms.lookup("deep  learning") == ("深層学習",) and synonyms.lookup("deeplearning") == ()
