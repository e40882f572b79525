"""Abbreviations: defined in the notes or listed in synonyms.yaml, either form finds the other."""

import pytest

from kb.abbreviations import find_abbreviations, implied_abbreviations, spells
from kb.indexer.build import build_index
from kb.requests import SearchRequest
from kb.search import SearchService


@pytest.mark.parametrize("text, pairs", [
    ("今日は Infrastructure as Code (IaC) の話。", [("IaC", "Infrastructure as Code")]),
    ("ガベージコレクション（GC）が遅い", [("GC", "ガベージコレクション")]),
    ("まずDDD（ドメイン駆動設計）について", [("DDD", "ドメイン駆動設計")]),
    ("SRE(Site Reliability Engineering)の実践", [("SRE", "Site Reliability Engineering")]),
    ("有向非循環グラフ(DAG)で表す", [("DAG", "有向非循環グラフ")]),
])
def test_definitions_are_found(text, pairs):
    assert find_abbreviations(text) == pairs


@pytest.mark.parametrize("text", [
    "Java(JDK)を入れる",  # one capital: a product and its kit, not an abbreviation
    "セキュリティ対策(FW)",  # katakana that does not start with F's sound
    "サービス（HSDS）",
    "LT6 (題名失念)",  # digits: a numbered talk
    "Knife-Zero(Chef)",
    "発表者 Takumi Sueda (末田卓巳)",
])
def test_what_only_looks_like_a_definition_is_not_one(text):
    assert find_abbreviations(text) == []


def test_a_latin_long_form_must_spell_its_abbreviation():
    assert spells("IaC", "we use Infrastructure as Code") == "Infrastructure as Code"
    assert spells("SRE", "the Site Reliability Engineering") == "Site Reliability Engineering"
    assert spells("XYZ", "Infrastructure as Code") is None


@pytest.fixture(scope="module")
def service(tmp_path_factory, topics):
    notes = tmp_path_factory.mktemp("abbr-notes")
    (notes / "a.md").write_text(
        "---\nevent: 定義する回\n---\n## 構成管理の基本\n"
        "Infrastructure as Code (IaC) で環境を作る。\n"
        "## 別の話\nIaC のツール比較。\n", encoding="utf-8")
    (notes / "b.md").write_text(
        "---\nevent: 略語だけの回\n---\n## 調査の進め方\nPoCを三か月で回した。\n"
        "## 計算機の話\nHPC向けのクラスタを借りた。\n"
        "## 雲の話\nGoogle Cloud Platformに移した。\n"
        "## 土台の話\n機械学習基盤を社内に作った。\n", encoding="utf-8")
    index = tmp_path_factory.mktemp("abbr-index")
    build_index(index, [notes], *topics, progress=False)
    service = SearchService(index, topics[0])
    yield service
    service.close()


def titles(service, q):
    return [h.record.title for h in service.search(SearchRequest(q=q)).hits]


def test_a_long_form_defined_in_the_notes_finds_the_abbreviation(service):
    # 別の話 only says IaC: found through the definition in another session
    assert titles(service, "Infrastructure as Code") == ["構成管理の基本", "別の話"]
    assert set(titles(service, "IaC")) == {"別の話", "構成管理の基本"}


def test_a_listed_abbreviation_finds_its_long_form_and_back(service):
    assert titles(service, "概念実証") == ["調査の進め方"]  # PoC, from synonyms.yaml
    explained = service.explain(SearchRequest(q="概念実証"))
    assert "PoC" in explained["clauses"][0]["abbreviations"]
    vias = {m["via"] for hit in explained["hits"] for ms in hit["fields"].values() for m in ms}
    assert vias == {"abbreviation"}


def test_acronyms_of_a_long_form():
    from kb.latin import acronyms
    assert acronyms("Internet of Things".split()) == ["iot"]  # "it" is too short
    assert acronyms("site reliability engineering".split()) == ["sre"]
    assert acronyms("open source".split()) == []  # two letters stand for too much
    assert acronyms(["of", "things", "x"]) == [] and acronyms(["Go1.21", "tips", "now"]) == []


def test_a_long_form_typed_out_finds_its_acronym_used_undefined(service):
    # the notes write HPC and never say what it stands for
    assert titles(service, "high performance computing") == ["計算機の話"]
    explained = service.explain(SearchRequest(q="high performance computing"))
    assert any("hpc" in c["abbreviations"] for c in explained["clauses"])


def test_names_written_without_their_acronym_imply_it():
    text = ("Site Reliability Engineering入門。Infrastructure as Code と Twelve-Factor App。"
            "How To Ask Questions The Smart Way, Why You Shouldn't, Google Cloud.")
    # two capitals (Infrastructure as Code) stand for too much; a talk's title, a word
    # cut at its apostrophe and a name of two words are no names to abbreviate
    assert implied_abbreviations(text) == [
        ("SRE", "Site Reliability Engineering"), ("TFA", "Twelve-Factor App")]


def test_an_acronym_finds_the_name_the_notes_write_out(service):
    assert titles(service, "GCP") == ["雲の話"]


def test_a_compound_with_an_abbreviation_finds_it_written_out(service):
    # ML is 機械学習 (data/synonyms.yaml): ML基盤 finds 機械学習基盤, and the other way
    assert titles(service, "ML基盤") == ["土台の話"]
    explained = service.explain(SearchRequest(q="ML基盤"))
    assert {m["via"] for hit in explained["hits"] for ms in hit["fields"].values()
            for m in ms} <= {"synonym", "abbreviation", "word"}


def test_an_abbreviation_defined_many_ways_keeps_its_most_defined_forms(tmp_path, topics):
    from kb.vocabulary import MAX_FORMS

    notes = tmp_path / "notes"
    notes.mkdir()
    # 品質管理 defined by three events, four other forms by one each, the last seen last
    forms = ["品質管理", "品質管理", "品質管理", "量子機械", "数値解析", "画像処理", "音声認識"]
    for n, form in enumerate(forms):
        (notes / f"e{n}.md").write_text(
            f"---\nevent: 回{n}\n---\n## 話{n}\n{form}（QMX）の話をした。\n", encoding="utf-8")
    index = tmp_path / "index"
    build_index(index, [notes], *topics, progress=False)
    service = SearchService(index, topics[0])
    try:
        with service.viewing() as view:
            kept = view.vocabulary().abbreviations
        assert len(kept["qmx"]) == MAX_FORMS == 4
        assert kept["qmx"] == ("品質管理", "量子機械", "数値解析", "画像処理")
        assert kept["音声認識"] == ("QMX",)  # each long form still finds the abbreviation
        assert "話6" in titles(service, "音声認識")
    finally:
        service.close()
