"""What the index's words say of a word typed: the kanji words a kana query reads as,
the same word in another script, and the Japanese words for an English one.

Each function takes the :class:`kb.builder.QueryBuilder` of the index, for its
vocabulary, dictionary and glosses, and keeps what it found there.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kb.analysis import normalize
from kb.transliteration import singular
from kb.vocabulary import is_kana, segment_reading

if TYPE_CHECKING:
    from kb.builder import QueryBuilder

READING_CHOICES = 3  # words per reading, and
MAX_READINGS = 6  # word sequences per kana query, most frequent first
RARE_ENGLISH = 3  # sessions writing an English word below which it is also translated
MAX_TRANSLATIONS = 4  # Japanese words per English word, the most used in the index first


def reading_words(builder: QueryBuilder, text) -> list[tuple[str, ...]]:
    """Word sequences of the index that read as ``text``, when it is written in kana.

    こんごうせいど gives [("混合", "精度")]: the kanji words a reader meant.
    """
    if builder.vocabulary is None or len(text) < 2 or not is_kana(text):
        return []
    vocabulary = builder.vocabulary()
    found = []
    for pieces in segment_reading(text, vocabulary.readings, vocabulary.longest_reading):
        choices = [vocabulary.words_read(p)[:READING_CHOICES] for p in pieces]
        for words in itertools.product(*choices):
            found.append(words)
            if len(found) >= MAX_READINGS:
                return found
    return found


def across_scripts(builder: QueryBuilder, text) -> list[str]:
    """Index words in another script that sound like ``text`` (コルーチン, coroutine)."""
    if builder.vocabulary is None:
        return []
    vocabulary = builder.vocabulary()
    return list(builder.kept("across", text, lambda: tuple(
        _heard(builder, normalize(text).strip(), vocabulary.across_scripts))))


def _heard(builder: QueryBuilder, text, across) -> Iterator[str]:
    # a loanword whose gloss synonyms.yaml corrects sounds like that word only:
    # キャッシュ sounds like cash, and is cache here
    overrides = builder.glosses().overrides
    for word in across(text):
        english, loanword = (text, word) if text.isascii() else (word, text)
        if overrides.get(loanword, english) in (english, singular(english)):
            yield word


def translations(builder: QueryBuilder, text) -> list[str]:
    """Japanese words of the index for an English word the notes rarely write, in
    English or as a loanword (agriculture -> 農業), from JMdict: see :mod:`kb.dictionary`."""
    return list(builder.kept("translations", text,
                             lambda: tuple(_translations(builder, text))))


def _translations(builder: QueryBuilder, text) -> list[str]:
    word = " ".join(normalize(text).split())
    if builder.dictionary is None or builder.vocabulary is None or len(word) < 3 \
            or not word.isascii() or not word.replace(" ", "").isalpha():
        return []
    vocabulary = builder.vocabulary()
    english_words = tuple(dict.fromkeys((word, singular(word))))
    # (two words typed apart, warm up, are looked up together whatever their use)
    if vocabulary.latin.get(word, 0) >= RARE_ENGLISH \
            or any(w in vocabulary.glossed for w in english_words) \
            or across_scripts(builder, word):
        return []  # written in English, or as a loanword (annotation: アノテーション)
    found = {}
    for english in english_words:
        for form in builder.dictionary.japanese(english):
            indexed = indexed_form(builder, form)
            if indexed and glossed_as(builder, form, english):
                found.setdefault(form, indexed[0])
    return sorted(found, key=lambda f: -found[f])[:MAX_TRANSLATIONS]


def indexed_form(builder: QueryBuilder, form) -> tuple[int, list[list[str]]] | None:
    """(how much its rarest word is used, its words by position) of a Japanese form
    whose every word the index holds; None for others, and for Latin letters."""
    if builder.vocabulary is None or normalize(form).isascii():
        return None
    words = builder.vocabulary().words
    positions = [alternatives for _, alternatives in builder.analyze(form)]
    counts = [max(words.get(w, 0) for w in alternatives) for alternatives in positions]
    return (min(counts), positions) if counts and min(counts) else None


def glossed_as(builder: QueryBuilder, form, english) -> bool:
    """Whether ``form`` may stand for ``english``: a loanword's gloss corrected in
    synonyms.yaml wins (キャッシュ is cache here, not cash)."""
    return builder.glosses().overrides.get(normalize(form)) in (None, english)
