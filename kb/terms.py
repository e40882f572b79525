"""The index terms a query may match, for marking them in snippets.

They are gathered from the same sources the query is built from (synonyms,
long forms, readings, other scripts, translations, spellings), so that what
matched a session is what its snippet marks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.analysis import normalize
from kb.latin import camel_parts
from kb.lexicon import across_scripts, reading_words, translations
from kb.written import english, latin_spans

if TYPE_CHECKING:
    from kb.builder import QueryBuilder


def query_terms(builder: QueryBuilder, parsed) -> set[str]:
    """Every index term the positive clauses of a query may match (synonyms included)."""
    # gathered word by word, each word's kept: a query is rarely asked twice, and
    # keeping its terms would push out what its words' next queries need
    found = set()
    for group in parsed.groups:
        for clause in group:
            if not clause.negated:
                # a word's terms are the same in every query holding it
                found.update(builder.kept("terms of", (clause.text, clause.field),
                                          lambda: _clause_terms(builder, clause)))
    for start, span in builder.synonym_spans(parsed.groups):
        whole = " ".join(g[0].text for g in parsed.groups[start:start + span])
        for text in builder.synonyms.lookup(whole):
            for _, alternatives in builder.analyze(text):
                found.update(alternatives)
    found.update(_joined_terms(builder, parsed))
    return found


def _clause_terms(builder: QueryBuilder, clause) -> frozenset[str]:
    """The terms of one positive clause: see :func:`query_terms`."""
    found = set()
    if clause.field in (None, "title", "speaker"):
        texts = [clause.text, *builder.synonyms.lookup(clause.text),
                 *builder.abbreviations(clause.text)]
        for unit in builder.units(clause.text):
            if unit.text != clause.text:
                texts += [unit.text, *builder.synonyms.lookup(unit.text),
                          *builder.abbreviations(unit.text)]
            texts += across_scripts(builder, unit.text)
            texts += translations(builder, unit.text)
        for text in texts:
            for _, alternatives in builder.analyze(text):
                found.update(alternatives)
        for words in reading_words(builder, clause.text):
            found.update(words)
    if clause.field in (None, "title"):
        found.update(_written_terms(builder, clause))
    return frozenset(found)


def _written_terms(builder: QueryBuilder, clause) -> set[str]:
    """Index words a clause also matches as written another way, for marking snippets."""
    found = set()
    word, latin = english(builder, clause.text)
    if word and latin:
        found.update(builder.glosses().words_glossed(word))
        if builder.vocabulary is not None:
            found.update(builder.vocabulary().glossed.get(word, ()))
    elif word:
        found.add(word)
    found.update(camel_parts(clause.text))
    return {normalize(w) for w in found}


def _joined_terms(builder: QueryBuilder, parsed) -> set[str]:
    """Two Latin words of a query written as one (Fast API: fastapi), for marking snippets."""
    return {normalize("".join(g[0].text for g in parsed.groups[start:start + span]))
            for start, span in latin_spans(parsed.groups,
                                           dict(builder.synonym_spans(parsed.groups)))}
