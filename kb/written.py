"""A word written another way: a loanword and its English source, English words of
the same stem, Latin words joined or apart, the other kana script, names by
their romanisation.

Each function takes the :class:`kb.builder.QueryBuilder` of the index and
returns queries (:mod:`kb.engine.query`) or the spellings they are made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kb.engine import query as Q

from kb.analysis import indexed_morphemes, normalize
from kb.glosses import gloss_term, split_gloss
from kb.latin import joined
from kb.people import name_key, name_reading
from kb.plan import (FIELDS_BY_PREFIX, GLOSS_WEIGHT, JOINED_WEIGHT, KANA_WEIGHT, NAME_WEIGHT,
                     SOUND_WEIGHT, STEM_WEIGHT, TEXT_FIELDS, VOICELESS_WEIGHT, match)
from kb.transliteration import VOICELESS, other_kana, voiceless_key

if TYPE_CHECKING:
    from kb.builder import QueryBuilder

HYPHENATED = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
MAX_GLOSSED = 4  # words of a compound whose English spellings are tried one by one


def english(builder: QueryBuilder, text) -> tuple[str, bool]:
    """(English word, from Latin letters) of a one-word query: browser, or ブラウザ's gloss."""
    positions = builder.analyze(text)
    if len(positions) != 1:  # (one word: its surface and lemma may differ)
        return "", False
    word = positions[0][1][0]
    if word.isascii():
        return (word, True) if word.isalpha() else ("", False)
    words = [(lemma, tag, surface) for _, _, surface, tag, lemma, _ in
             indexed_morphemes(builder.analyzer[0].morphemes(text))]
    # the whole text one word: サーバレ, cut short, is no サーバ
    if len(words) != 1 or normalize(words[0][2]) != normalize(text).strip():
        return "", False
    lemma, gloss = split_gloss(words[0][0])
    return builder.glosses().gloss(normalize(lemma), gloss), False


def gloss_alternatives(builder: QueryBuilder, clause, fields):
    """A Latin word finds the loanwords glossed with it, a loanword its English source."""
    word, latin = english(builder, clause.text)
    if not word:
        return []
    found = []
    if not builder.glosses().misleads(word):
        # the loanwords of that English, and for a loanword the others of its English,
        # clipped or not (アプリケーション: アプリ)
        found += [Q.Term(name, gloss_term(word), boost=boost * GLOSS_WEIGHT)
                  for name, boost in fields]
    if not latin:
        positions = builder.analyze(word)
        return found + [match(name, positions, boost * GLOSS_WEIGHT) for name, boost in fields]
    for loanword in builder.glosses().words_glossed(word):
        positions = builder.analyze(loanword)
        found += [match(name, positions, boost * GLOSS_WEIGHT) for name, boost in fields]
    return found + _stem_alternatives(builder, word, fields)


def _stem_alternatives(builder: QueryBuilder, word, fields):
    """Words of the index derived from the same stem, and the loanwords glossed with them."""
    if builder.vocabulary is None:
        return []
    vocabulary = builder.vocabulary()
    found = []
    for other in vocabulary.same_stem(word):
        if other in vocabulary.latin:
            found += [Q.Term(name, other, boost=boost * STEM_WEIGHT) for name, boost in fields]
        if other in vocabulary.glossed and not builder.glosses().misleads(other):
            found += [Q.Term(name, gloss_term(other), boost=boost * STEM_WEIGHT * GLOSS_WEIGHT)
                      for name, boost in fields]
    return found


def joined_alternatives(builder: QueryBuilder, clause, fields):
    """Latin words written apart also find them written as one: Fast API -> FastAPI;
    a hyphenated word finds it written as one and apart: micro-services."""
    words = clause.text.split()
    if len(words) == 1 and HYPHENATED.fullmatch(words[0]):
        parts = words[0].split("-")
        forms = ["".join(parts), " ".join(parts)]
    else:
        forms = [w for w in (joined(words),) if w]
    found = []
    for form in forms:
        positions = builder.analyze(form)
        found += [match(name, positions, boost * JOINED_WEIGHT) for name, boost in fields]
    return found


def name_alternatives(builder: QueryBuilder, clause):
    """A name in kana or Latin letters finds speakers by their romanisation (さとう -> 佐藤)."""
    if clause.negated or clause.field not in (None, "speaker"):
        return []
    key, by_sound = name_key(clause.text, builder.analyzer[0])
    if not key or key == normalize(clause.text):
        return []
    boost = dict(FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS))["speakers"]
    boost *= NAME_WEIGHT if by_sound else SOUND_WEIGHT
    found = [Q.Term("speakers", key, boost=boost)]
    kana = name_reading(clause.text, builder.analyzer[0])
    voiceless = voiceless_key(kana) if kana else ""
    if voiceless:  # すえだ finds 末田, which UniDic reads スエタ
        found.append(Q.Term("speakers", VOICELESS + voiceless, boost=boost * VOICELESS_WEIGHT))
    return found


def latin_spans(groups, taken=()) -> Iterator[tuple[int, int]]:
    """(start, 2) of two plain Latin words in a row, which may be one word written apart."""
    covered = {i for start in taken for i in range(start, start + taken[start])}
    i = 0
    while i + 1 < len(groups):
        pair = groups[i:i + 2]
        if not covered & {i, i + 1} and all(
                len(g) == 1 and g[0].field is None and not g[0].negated and not g[0].phrase
                for g in pair) and joined([g[0].text for g in pair]):
            yield i, 2
            i += 2
        else:
            i += 1


def spellings(texts, weight) -> list[tuple[str, float]]:
    """(text, weight) of ``texts``, and of those of several Latin words written as one
    (Raspberry Pi as RaspberryPi), ranked as such joined words are."""
    found = []
    for text in texts:
        found.append((text, weight))
        one = joined(text.split())
        if one is not None:
            found.append((one, weight * JOINED_WEIGHT))
    return found


def written_variants(builder: QueryBuilder, text) -> list[tuple[tuple[str, ...], float]]:
    """(words, weight) of other spellings of ``text``, word by word.

    Kana in the other kana script (ベキ等性 -> べき等性: the same word), and,
    for a compound, its loanwords' English glosses (ダークテーマ -> dark
    theme, ウェブアプリケーション -> web アプリケーション), ranked as glosses are.
    """
    words = [(normalize(surface), normalize(lemma)) for _, _, surface, _, lemma, _ in
             indexed_morphemes(builder.analyzer[0].morphemes(text))]
    if not words or len(words) != len(builder.analyze(text)):
        return []  # the analyzer split it otherwise (Latin forms): nothing to line up
    found = []
    glosses = [builder.glosses().gloss(*split_gloss(lemma)) for _, lemma in words]
    # a loanword (one with a gloss) is not written in the other kana script
    swapped = [other_kana(surface) if not gloss else "" for (surface, _), gloss
               in zip(words, glosses)]
    if any(swapped):
        found.append((tuple(k or s for k, (s, _) in zip(swapped, words)), KANA_WEIGHT))
    glossed = [i for i, gloss in enumerate(glosses) if gloss]
    if len(words) > 1 and glossed and len(words) <= MAX_GLOSSED:
        # each loanword in English alone (Webアプリケーション), then all of them (dark theme)
        for chosen in (*([i] for i in glossed), glossed if len(glossed) > 1 else []):
            if chosen:
                found.append((tuple(glosses[i] if i in chosen else surface
                                    for i, (surface, _) in enumerate(words)), GLOSS_WEIGHT))
    return found
