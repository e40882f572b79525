"""Latin words: pieces, numbers, plurals and joins, through the analyzer with offsets."""

from kb.analysis import JapaneseAnalyzer, QueryAnalyzer
from kb.latin import PluralFolder, camel_parts, connector_parts, is_number, joined, pieces


def tokens(text, mode="index"):
    return [(t.text, t.pos, text[t.startchar:t.endchar])
            for t in JapaneseAnalyzer()(text, positions=True, chars=True, mode=mode)]


def test_letters_and_digits_written_together_take_a_position_each():
    assert tokens("Go1.21で") == [("go", 0, "Go"), ("1.21", 1, "1.21")]
    assert tokens("ES2015とJava8") == [("es", 0, "ES"), ("2015", 1, "2015"),
                                       ("java", 3, "Java"), ("8", 4, "8")]
    # written apart, the same terms at the same distances: phrases meet
    assert [(t, p) for t, p, _ in tokens("Go 1.21で")] == [("go", 0), ("1.21", 1)]


def test_the_words_after_a_split_word_move_on():
    assert [(t, p) for t, p, _ in tokens("A100のGPU")] == [("a", 0), ("100", 1), ("gpu", 3)]
    assert [(t, p) for t, p, _ in tokens("A100のGPU", mode="query")] == [("a", 0), ("100", 1),
                                                                         ("gpu", 3)]


def test_full_width_forms_keep_their_offsets():
    assert tokens("Ｇｏ１．２１") == [("go", 0, "Ｇｏ"), ("1.21", 1, "１．２１")]


def test_numbers_are_single_words():
    assert is_number("1.21") and is_number("2015") and not is_number("x86")
    assert connector_parts("1.21") == [] and connector_parts("de:code") == ["de", "code"]
    assert [t for t, _, _ in tokens("x86_64")] == ["x", "86_64"]


def test_latin_words_joined_by_other_symbols_are_separate_words():
    assert tokens("Python×AI") == [("python", 0, "Python"), ("ai", 2, "AI")]
    assert [t for t, _, _ in tokens("TensorFlow／PyTorch・JAX")] == ["tensorflow", "pytorch", "jax"]


def test_plurals_and_possessives_fold_but_unknown_names_stay_whole():
    folder = PluralFolder()
    assert [folder.fold(w) for w in ("pipelines", "Libraries", "APIs", "GPUs", "classes")] == \
        ["pipeline", "library", "api", "gpu", "class"]
    assert [folder.fold(w) for w in ("Kubernetes", "Jenkins", "Redis", "iOS", "DevOps",
                                     "status", "was", "news")] == \
        ["kubernetes", "jenkins", "redis", "ios", "devops", "status", "was", "news"]
    assert [t for t, _, _ in tokens("Google's pipelines")] == ["google", "pipeline"]
    assert pieces("users'") == [(0, "users'")] and pieces("Java8") == [(0, "Java"), (4, "8")]


def test_two_capitalised_words_in_a_row_are_also_indexed_joined():
    assert ("springboot", 1, "Boot") in tokens("Spring Boot")
    assert "springboot" not in [t for t, _, _ in tokens("Spring Boot", mode="query")]
    assert "springboot" not in [t for t, _, _ in tokens("Spring, Boot")]
    assert [t.text for t in QueryAnalyzer()("Spring Boot", mode="index")] == ["spring", "boot"]


def test_query_side_helpers():
    assert joined(["Fast", "API"]) == "FastAPI" and joined(["Go", "1.21"]) is None
    assert camel_parts("SpringBoot") == ["spring", "boot"] and camel_parts("Python") == []


def test_the_folder_pickles_without_its_dictionary():
    import pickle

    folder = PluralFolder()
    folder.fold("pipelines")
    clone = pickle.loads(pickle.dumps(folder))
    assert clone.fold("pipelines") == "pipeline"
