"""Did you mean: corrections from the index's own words, never leading to nothing."""

import pytest

from kb.spelling import allowed_distance, edit_distance, nearest, same_case


def test_edit_distance_counts_a_swap_of_neighbours_as_one():
    assert edit_distance("auzre", "azure", 2) == 1
    assert edit_distance("jenkis", "jenkins", 2) == 1
    assert edit_distance("アノテーシヨン", "アノテーション", 2) == 1
    assert edit_distance("abc", "xyzabc", 2) == 3  # capped at limit + 1


def test_short_words_are_never_corrected():
    assert allowed_distance("gpu") == 0
    assert nearest("gpo", {"gpu": 5}) == []


def test_a_known_word_is_only_corrected_to_a_far_more_frequent_one():
    assert nearest("azure", {"azure": 5, "azura": 50}) == ["azura"]
    assert nearest("azure", {"azure": 5, "azura": 6}) == []


def test_case_follows_what_was_typed():
    assert same_case("Auzre", "azure") == "Azure"
    assert same_case("AUZRE", "azure") == "AZURE"
    assert same_case("auzre", "azure") == "azure"
    assert same_case("GPUo", "gpu") == "GPU"  # capitals and a slip: still capitals
    assert same_case("AzURE", "azure") == "AZURE"
    assert same_case("Go", "gpu") == "Gpu"  # one capital begins a word
    assert same_case("iOs", "ios") == "ios"


@pytest.mark.parametrize("q, meant", [
    ("Jenkis", "Jenkins"),
    ("Kubernets", "Kubernetes"),
    ("Auzre", "Azure"),  # the sample notes have this typo once: still corrected
    ("ディープラーニグ", "ディープラーニング"),
    ("アノテーシヨン", "アノテーション"),
    ("機会学習", "機械学習"),  # an input-method slip: same reading キカイ
    ("校正", "構成"),
    ("深想学習", "深層学習"),  # two kanji MeCab reads apart: シン + ソウ, one kept in place
    ("機械学集", "機械学習"),
    ("量子価", "量子化"),  # a single kanji after a word: カ
    ("Jenkis パイプライン", "Jenkins パイプライン"),
])
def test_suggestions(search, q, meant):
    data = search(q)
    assert data["suggestion"] == meant
    assert search(meant)["total"] >= max(1, data["total"])


def test_results_are_shown_for_what_was_typed_and_the_suggestion_beside(search):
    data = search("Jenkis パイプライン")
    assert data["total"] >= 1 and data["suggestion"] == "Jenkins パイプライン"
    assert search("Jenkins パイプライン")["results"][0]["id"] == \
        "devops-day-2019/jenkinsで組むビルドパイプライン"


@pytest.mark.parametrize("q", ["GPU", "Haskell", "量子コンピュータ", "ブロックチェーン", ""])
def test_no_suggestion_for_queries_that_find_enough_or_nothing_close(search, q):
    assert search(q)["suggestion"] is None


def test_a_suggestion_stays_within_the_selected_facets(search):
    assert search("Jenkis")["suggestion"] == "Jenkins"
    # Jenkins is only in a 2019 event: within 2020 the correction would find nothing
    assert search("Jenkis", years=("2020",))["suggestion"] is None


def test_a_neighbouring_key_is_half_a_slip():
    assert edit_distance("jenkibs", "jenkins", 2) == 0.5  # b is next to n
    assert edit_distance("jenkips", "jenkins", 2) == 1  # p is not


def test_a_real_word_or_a_plural_is_never_corrected():
    from kb.spelling import EnglishWords

    english = EnglishWords()
    assert "pipelines" in english and "coach" in english and "jenkis" not in english
    assert nearest("coach", {"cache": 50, "coach": 1}, real="coach" in english) == []
    assert nearest("pipelines", {"pipeline": 9}) == []  # a plural is what was meant
    assert nearest("kubernets", {"kubernetes": 4}) == ["kubernetes"]


def test_a_katakana_word_unidic_knows_is_not_corrected(search):
    assert search("ブラウザー")["suggestion"] is None  # ブラウザ is a word, not a slip of another


def test_a_query_that_finds_nothing_shows_what_its_correction_finds(search):
    data = search("Jenkis")
    assert data["corrected"] and data["suggestion"] == "Jenkins" and data["query"] == "Jenkis"
    assert data["results"] == search("Jenkins")["results"]
    assert "no session matches 'Jenkis': showing the sessions for 'Jenkins'" in data["messages"]
    assert not search("Jenkis パイプライン")["corrected"]  # it finds some: they are shown
