"""Two English words typed apart, found as the Japanese compound the notes write.

A reader types "static analysis" or "code review" for sessions whose notes
say 静的解析 or コードレビュー. Neither word alone is rare enough in English
notes to be translated (see :func:`kb.lexicon.translations`), and
each alone means too much (analysis: 分析, 解析, 解剖, …); together, a
translation of the first next to a translation of the second is a phrase the
index either holds or does not. So each word's Japanese forms are found
without asking how rare the word is: its loanwords by UniDic's gloss (kept in
the index as a term of their own), its loanwords by sound, and JMdict's words
for it that the index holds. Each pair of them is one phrase query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kb.analysis import normalize
from kb.glosses import gloss_term
from kb.lexicon import across_scripts, glossed_as, indexed_form
from kb.transliteration import singular

if TYPE_CHECKING:
    from kb.builder import QueryBuilder

FORMS = 3  # Japanese forms per English word, the most used in the index first
LOOKED_UP = 6  # of JMdict's, its first entries: each is analysed to be looked for


def pair_phrases(text: str, forms: Callable[[str], list]) -> list[list[tuple[int, list[str]]]]:
    """Phrases (positions with their alternatives) a Japanese compound for the two
    English words of ``text`` would match, each word written as ``forms`` (see
    :func:`japanese_forms`) gives it; [] when ``text`` is not two such words."""
    words = normalize(text).split()
    if len(words) != 2 or not all(w.isascii() and w.isalpha() and len(w) > 1 for w in words):
        return []
    first, second = forms(words[0]), forms(words[1])
    if not first or not second:
        return []
    return [[(i, alternatives) for i, alternatives in enumerate((*a, *b))]
            for a in first for b in second]


def japanese_forms(builder: "QueryBuilder", word: str) -> list[tuple[list[str], ...]]:
    """The ways ``word`` may be written in Japanese, each as a sequence of positions
    with their alternatives; forms of one word share a position."""
    if builder.vocabulary is None:
        return []
    vocabulary = builder.vocabulary()
    spellings = tuple(dict.fromkeys((word, singular(word))))  # (analysis is no plural)
    one: list[str] = []  # forms of one word, matched at one position
    longer: list[tuple[list[str], ...]] = []
    for english in spellings:
        if english in vocabulary.glossed and not builder.glosses().misleads(english):
            one.append(gloss_term(english))
    looked_up = () if builder.dictionary is None else (
        form for english in spellings for form in builder.dictionary.japanese(english)[:LOOKED_UP]
        if glossed_as(builder, form, english))
    found = {}
    for form in dict.fromkeys((*across_scripts(builder, word), *looked_up)):
        indexed = indexed_form(builder, form)
        if indexed:
            found[form] = indexed
    for form in sorted(found, key=lambda f: -found[f][0])[:FORMS]:
        positions = found[form][1]
        if len(positions) == 1:
            one += [w for w in positions[0] if w not in one]
        else:
            longer.append(tuple(positions))
    return ([(one,)] if one else []) + longer

