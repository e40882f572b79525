"""A word as part of others: the longer words of the index it is inside, the compound
it begins when cut short, and a compound's words found apart.

Each function takes the :class:`kb.builder.QueryBuilder` of the index and
returns queries (:mod:`kb.engine.query`) ranked well below the word itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.engine import query as Q

from kb.analysis import KATAKANA_RUN, is_stop, normalize
from kb.plan import (APART_WEIGHT, COMPLETION_WEIGHT, FIELDS_BY_PREFIX, PART_FIELDS, PART_WEIGHT,
                     SHORTER_WEIGHT, SYNONYM_WEIGHT, TEXT_FIELDS, match)
from kb.query import KANJI_PART, Clause, is_part
from kb.vocabulary import HAS_KANJI
from kb.written import spellings

if TYPE_CHECKING:
    from kb.builder import QueryBuilder

CUT_CHOICES = 6  # words a compound's last kanji, typed alone, may begin


def containing(builder: QueryBuilder, text) -> list[str]:
    """Longer words of the index that ``text`` is part of (see :func:`kb.query.is_part`)."""
    if builder.vocabulary is None or not is_part(text):
        return []
    text = normalize(text).strip()
    vocabulary = builder.vocabulary()
    found = vocabulary.containing(text)
    # a katakana word's final ー is often not written inside a longer word:
    # アーキテクチャー is part of クリーンアーキテクチャ
    shorter = text.rstrip("ー")
    if shorter != text and len(shorter) > 2 and KATAKANA_RUN.fullmatch(text):
        found += [w for w in vocabulary.containing(shorter)
                  if w not in found and w != text]
    return found


def torn(builder: QueryBuilder, text) -> bool:
    """Whether ``text`` is a katakana word cut short that MeCab tore into a word and a
    particle (マイクロサ: マイクロ + さ), found in longer words of the index: it then
    stands for those (マイクロサービス), not for the word left over (マイクロ in
    マイクロソフト)."""
    if not KATAKANA_RUN.fullmatch(text):
        return False
    morphemes = list(builder.analyzer[0].morphemes(text))
    return len(morphemes) > 1 and any(is_stop(tag, lemma, surface)
                                      for _, _, surface, tag, lemma, _ in morphemes) \
        and bool(containing(builder, text))


def inside_words(builder: QueryBuilder, text, fields):
    """Queries for the longer words ``text`` is part of, ranked well below whole words."""
    found = []
    for word in containing(builder, text):
        # the longer word, and what it is also called (ラズパ: ラズパイ, Raspberry Pi)
        others = (*builder.synonyms.lookup(word), *builder.abbreviations(word))
        for other, weight in ((word, PART_WEIGHT),
                              *spellings(others, PART_WEIGHT * SYNONYM_WEIGHT)):
            positions = builder.analyze(other)
            if positions:
                found += [match(name, positions, boost * weight)
                          for name, boost in fields if name in PART_FIELDS]
    return found + _cut_short(builder, text, fields)


def _cut_short(builder: QueryBuilder, text, fields):
    """A compound typed up to the first kanji of its last word (ドメイン駆 for
    ドメイン駆動設計): its words, then the index's words that kanji begins."""
    if builder.vocabulary is None or not KANJI_PART.fullmatch(normalize(text).strip()):
        return []
    positions = builder.analyze(text)
    last = positions[-1][1][0] if len(positions) > 1 else ""
    if len(last) != 1 or not HAS_KANJI.match(last):
        return []
    words = builder.vocabulary().starting(last, limit=CUT_CHOICES)
    return [match(name, [*positions[:-1], (positions[-1][0], [word])], boost * PART_WEIGHT)
            for word in words for name, boost in fields if name in PART_FIELDS]


def completions(builder: QueryBuilder, text):
    """A word cut short that begins a name synonyms.yaml or the topics know stands for
    that name and what it stands for (ドメイン駆: ドメイン駆動設計, DDD), below whole words."""
    text = normalize(text).strip()
    if builder.vocabulary is None or not is_part(text) or builder.means_more(text) \
            or text in builder.vocabulary().words:
        return []
    return [Q.Or([builder.clause(Clause(name), fragments=False)], boost=COMPLETION_WEIGHT)
            for name in builder.synonyms.names_starting(text)]


def apart(builder: QueryBuilder, text, field=None):
    """A compound's words anywhere in a session, each in any of its fields."""
    fields = FIELDS_BY_PREFIX.get(field, TEXT_FIELDS)
    positions = builder.analyze(text)
    words = [Q.Or([match(name, [position], boost * APART_WEIGHT) for name, boost in fields])
             for position in positions]
    if len(words) < 2:
        return words[0] if words else Q.NOTHING
    found: list[Q.Query] = [Q.And(words)]
    if len(positions) > 2:  # 機械学習 of 機械学習モデル: the compound less a word at an end
        found += [match(name, part, boost * APART_WEIGHT * SHORTER_WEIGHT)
                  for part in (positions[1:], positions[:-1]) for name, boost in fields
                  if name in PART_FIELDS]
    return Q.Or(found) if len(found) > 1 else found[0]
