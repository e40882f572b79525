"""What a word of a query may also mean: its synonyms and long forms, the topic it
names, the kanji a kana word reads as, the same word in another script or
language, and the spellings of :mod:`kb.written`, each ranked below the word.

The functions take the :class:`kb.builder.QueryBuilder` of the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.engine import query as Q

from kb.lexicon import across_scripts, reading_words, translations
from kb.pairs import japanese_forms, pair_phrases
from kb.plan import (EVENT_TOPIC_SCORE, FIELDS_BY_PREFIX, PAIR_WEIGHT, PART_FIELDS,
                     READING_WEIGHT, SOUND_WEIGHT, SYNONYM_WEIGHT, TEXT_FIELDS, TOPIC_SCORE,
                     TRANSLATION_WEIGHT, match)
from kb.synonyms import MAX_WORDS
from kb.written import (gloss_alternatives, joined_alternatives, spellings,
                        written_variants)

if TYPE_CHECKING:
    from kb.builder import QueryBuilder


def alternatives(builder: QueryBuilder, clause):
    """Queries for what ``clause`` may also mean: synonyms, its topic, kanji read in kana."""
    if clause.negated or clause.field not in (None, "title"):
        return []
    fields = FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS)
    found = []
    others = (*builder.synonyms.lookup(clause.text), *builder.abbreviations(clause.text))
    for text, weight in spellings(others, SYNONYM_WEIGHT):
        positions = builder.analyze(text)
        if positions:
            found += [match(name, positions, boost * weight) for name, boost in fields]
    topic_id = builder.named_topic(clause.text, others) if clause.field is None else None
    if topic_id:
        found.append(Q.ConstantScore(Q.Term("topics", topic_id), TOPIC_SCORE))
        found.append(Q.ConstantScore(Q.Term("event_topics", topic_id), EVENT_TOPIC_SCORE))
    for words in reading_words(builder, clause.text):
        positions = [(i, [w]) for i, w in enumerate(words)]
        found += [match(name, positions, boost * READING_WEIGHT) for name, boost in fields]
    # translations, like other spellings, only where a session says what it is about
    # (titles, bodies): each field is one more query
    for spelt, weight, where in (
            (across_scripts(builder, clause.text), SOUND_WEIGHT, dict(fields)),
            (translations(builder, clause.text), TRANSLATION_WEIGHT, PART_FIELDS)):
        for word in spelt:
            positions = builder.analyze(word)
            if positions:
                found += [match(name, positions, boost * weight)
                          for name, boost in fields if name in where]
    found += gloss_alternatives(builder, clause, fields)
    found += _expanded_compounds(builder, clause.text, fields)
    found += joined_alternatives(builder, clause, fields)
    # static analysis: 静的解析, code review: コードレビュー (see kb.pairs)
    def forms(word):  # a word's Japanese forms are the same in every query holding it
        return builder.kept("forms", word, lambda: japanese_forms(builder, word))

    for positions in pair_phrases(clause.text, forms):
        found += [match(name, positions, boost * PAIR_WEIGHT)
                  for name, boost in fields if name in PART_FIELDS]
    for words, weight in written_variants(builder, clause.text):
        positions = [(i, [w]) for i, w in enumerate(words)]
        # looked for where a session says what it is about: each field is a phrase
        # matched over positions, the dearest part of a query
        found += [match(name, positions, boost * weight) for name, boost in fields
                  if len(positions) == 1 or name in PART_FIELDS]
    return found


def _expanded_compounds(builder: QueryBuilder, text, fields):
    """A compound with a word that has synonyms or long forms, written with them
    instead (DB移行: データベース移行, ML基盤: 機械学習基盤), ranked as synonyms are."""
    positions = builder.analyze(text)
    if not 2 <= len(positions) <= MAX_WORDS:
        return []
    found = []
    for i, (_, words) in enumerate(positions):
        word = words[0]
        if not builder.means_more(word):
            continue
        others = (*builder.synonyms.lookup(word), *builder.abbreviations(word))
        for other in dict.fromkeys(others):
            replaced = [choices for _, choices in
                        (*positions[:i], *builder.analyze(other), *positions[i + 1:])]
            phrase = list(enumerate(replaced))
            found += [match(name, phrase, boost * SYNONYM_WEIGHT)
                      for name, boost in fields if name in PART_FIELDS]
    return found
