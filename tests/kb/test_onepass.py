"""The one-pass analysis gives, term for term, what the tokenizer and its filters give."""

import random
from pathlib import Path

import pytest
from whoosh.analysis import CompositeAnalyzer

from kb import onepass
from kb.analysis import JapaneseAnalyzer, SpeakerAnalyzer, indexed_morphemes

ROOT = Path(__file__).resolve().parents[2]
# words that take every path of the filters: Latin pieces, parts and joins, glosses,
# honorifics after names, symbols that are letters, width and case folding
WORDS = ["Spring Boot", "Go1.21", "de:code", "e-mail", "Python×AI", "TensorFlow／PyTorch",
         "ＡＢＣ", "データ", "ブラウザ", "キャッシュ", "佐藤さん", "一色政彦氏", "Visual Studio Code",
         "C++", "C#", ".NET", "Node.js", "scikit-learn", "α", "アルファ", "ル", "する", "こと",
         "AWS Lambda", "Windows Server 2016", " ", "\n", "、", "。", "（", "）", "ソフトウエア",
         "Pipelines", "GPUs", "k8s", "ⅰ", "㍿", "ｶﾀｶﾅ", "最新の機械学習", "呼び出し",
         "ディレクトリー", "Re:VIEW", "A/B テスト", "1.2.3", "CI/CD", "🍣", "𠮷野家", "ﬁle"]
CALLS = [(True, True, "index"), (True, False, "index"), (False, False, "index"),
         (True, True, "query"), (True, False, "query")]


def chained(analyzer, text, positions, chars, mode):
    """The terms of ``text`` as the filters give them, one token object after another."""
    return [(t.text, t.boost, t.pos if positions else 0, t.startchar if chars else 0,
             t.endchar if chars else 0)
            for t in CompositeAnalyzer(*analyzer.items)(text, positions=positions, chars=chars,
                                                        mode=mode)]


def texts():
    notes = sorted((ROOT / "data" / "notes").glob("*.md")) + sorted((ROOT / "tests" / "notes").glob("*.md"))
    found = [p.read_text(encoding="utf-8") for p in notes]
    rng = random.Random(7)
    found += ["".join(rng.choice(WORDS) + rng.choice(["", " ", "、", "の"])
                      for _ in range(rng.randint(1, 12))) for _ in range(400)]
    # longer than MeCab is given at once: tagged in pieces, cut at line ends or not
    found.append("\n".join(found[-400:]))
    found.append("".join(found[-401:-1]).replace("\n", ""))
    return found


@pytest.mark.parametrize("positions,chars,mode", CALLS)
def test_the_same_terms_as_the_filters_give(positions, chars, mode):
    analyzer = JapaneseAnalyzer()
    assert onepass.is_plain_chain(analyzer.items)
    for text in texts():
        assert onepass.terms(analyzer.items, text, positions, chars, mode) == \
            chained(analyzer, text, positions, chars, mode), text[:80]


def test_words_worked_out_once_give_the_same_terms_in_every_call():
    analyzer = JapaneseAnalyzer()
    memo: dict = {}
    for text in texts()[-100:]:
        for positions, chars, mode in CALLS:
            assert onepass.terms(analyzer.items, text, positions, chars, mode, memo) == \
                chained(analyzer, text, positions, chars, mode), text[:80]
        assert onepass.grouped(analyzer.items, text, memo) == \
            onepass.grouped(analyzer.items, text), text[:80]


def test_the_analyzer_remembers_what_it_gave():
    analyzer = JapaneseAnalyzer()
    terms = analyzer.terms("佐藤さんのGo1.21", positions=True, mode="index")
    assert [t[0] for t in terms] == ["佐藤", "go", "1.21"]
    assert analyzer.terms("佐藤さんのGo1.21", positions=True, mode="index") is terms
    tokens = [(t.text, t.pos) for t in analyzer("佐藤さんのGo1.21", positions=True, mode="index")]
    assert tokens == [("佐藤", 0), ("go", 3), ("1.21", 4)]


@pytest.mark.parametrize("make", [JapaneseAnalyzer, SpeakerAnalyzer])
def test_positions_are_the_terms_grouped_by_word(make):
    analyzer = make()
    for text in [*texts(), "佐藤 一郎\nてらだよしお"]:
        grouped: dict[str, list[int]] = {}
        for word, _, pos, _, _ in analyzer.terms(text, positions=True, mode="index"):
            grouped.setdefault(word, []).append(pos)
        found = analyzer.positions(text)
        assert found == grouped and list(found) == list(grouped), text[:80]
        assert analyzer.positions(text) is found


def test_the_bounds_of_a_pass_are_those_of_the_words_the_index_keeps():
    analyzer = JapaneseAnalyzer()
    for text in texts():
        found, bounds = onepass.scan(analyzer.items, text)
        assert found == onepass.grouped(analyzer.items, text)
        assert bounds == [at for start, end, *_ in indexed_morphemes(analyzer[0].morphemes(text))
                          for at in (start, end)], text[:80]


def test_word_bounds_come_from_the_pass_that_grouped_the_terms():
    analyzer = JapaneseAnalyzer()
    text = "佐藤さんはGo1.21とC++でSpring Bootを書いた。"
    grouped = analyzer.positions(text)
    assert "springboot" in grouped and "佐藤" in grouped
    fresh = JapaneseAnalyzer()[0]
    assert analyzer[0].bounds(text) == fresh.bounds(text)
    assert text[fresh.bounds(text)[0]:fresh.bounds(text)[1]] == "佐藤"


def test_other_chains_keep_their_filters():
    assert not onepass.is_plain_chain(SpeakerAnalyzer().items)
