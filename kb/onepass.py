"""The terms of a text as the Japanese analyzer gives them, in one pass over its words.

The analyzer of text fields is a tokenizer and four filters, each a generator
that hands the next one a token object (see :mod:`kb.analysis`): for a
million words that plumbing cost as much as MeCab itself. :func:`terms` does
what that chain does, step for step, over the tokenizer's remembered words
and gives plain tuples; the tests compare the two on every kind of word.
"""

from __future__ import annotations

from typing import Any

from kb.analysis import LATIN_TAG, NAME_TAGS, ONE_KANA, SYMBOL_POS, _has_alnum, normalize
from kb.glosses import MARK, split_gloss

PROPER_NOUN = "名詞,固有名詞"


def terms(items: list, value: str, positions: bool, chars: bool, mode: str) -> list[tuple]:
    """(text, boost, pos, startchar, endchar) of each term the chain ``items`` gives ``value``.

    ``items`` are the JapaneseTokenizer, PosStopFilter, LatinFilter,
    NormalizeFilter and LemmaFilter of a JapaneseAnalyzer; the call is the one
    RememberingAnalyzer remembers (stops removed, from position 0 and character 0).
    pos is 0 without ``positions``, startchar and endchar 0 without ``chars``.
    """
    tokenizer, stops, latin, _, lemmas = items
    stop_pos, stop_lemmas, honorifics = stops.stop_pos, stops.stop_lemmas, stops.honorifics
    query = mode == "query"
    extras = latin.extras and not query
    forms = latin.forms
    surfaces = lemmas.surface and not query
    glosses = lemmas.glosses and not query
    folded: dict[str, str] = {}  # the same words come back: NFKC once each
    seen: set[str] = set()
    out: list[tuple] = []
    add = out.append
    previous_tag, shift, joinable = "", 0, None
    for index, (start, end, text, tag, lemma, _) in enumerate(tokenizer.morphemes(value)):
        if "-" in lemma:
            lemma, gloss = split_gloss(lemma)
        else:
            gloss = ""
        # PosStopFilter: what carries no meaning goes (previous: the tag before, kept or not)
        if tag.startswith(stop_pos) or lemma in stop_lemmas or (
                tag.startswith(SYMBOL_POS) and not _has_alnum(text)) or (
                lemma in honorifics and (tag.startswith("接尾辞")
                                         or previous_tag.startswith(NAME_TAGS))):
            previous_tag = tag
            continue
        previous_tag = tag
        pos = index + shift if positions else 0
        if not chars:
            start = end = 0
        if tag != LATIN_TAG:
            joinable = None
            surface = _fold(folded, text)
            lemma = surface if lemma == text else _fold(folded, lemma)
            if tag.startswith(PROPER_NOUN):
                add((surface, 1.0, pos, start, end))
            else:
                if surfaces and surface != lemma:
                    add((surface, 1.0, pos, start, end))
                add((lemma, 1.0, pos, start, end))
            if glosses and gloss and gloss not in seen and not (
                    len(lemma) == 1 and ONE_KANA.match(lemma)):
                seen.add(gloss)
                add((MARK + gloss, 1.0, pos, start, end))
            continue
        # LatinFilter, then NormalizeFilter; LemmaFilter passes each term of a Latin
        # word as it is, and its gloss (if any) after the first
        lemma = _fold(folded, lemma)
        gives_gloss = glosses and gloss and not (len(lemma) == 1 and ONE_KANA.match(lemma))
        found, join = forms.of(text)
        base, origin = pos, start
        for i, (offset, length, term, parts) in enumerate(found):
            if positions:
                pos = base + i
            if chars:
                start, end = origin + offset, origin + offset + length
            add((_fold(folded, term), 1.0, pos, start, end))
            if gives_gloss and gloss not in seen:
                seen.add(gloss)
                add((MARK + gloss, 1.0, pos, start, end))
            if extras:
                for part in parts:
                    add((_fold(folded, part), 1.0, pos, start, end))
        shift += len(found) - 1
        if not (extras and join and positions):
            joinable = None
            continue
        if joinable is not None and joinable[0] == pos - 1:
            add((_fold(folded, joinable[1] + join), 1.0, pos, start, end))
            if gives_gloss and gloss not in seen:
                seen.add(gloss)
                add((MARK + gloss, 1.0, pos, start, end))
        joinable = (pos, join)
    return out


def _fold(folded: dict[str, str], text: str) -> str:
    """normalize(text), remembered for the text at hand."""
    found = folded.get(text)
    if found is None:
        found = folded[text] = normalize(text)
    return found


def is_plain_chain(items: list[Any]) -> bool:
    """Whether ``items`` are exactly the Japanese analyzer's chain, which :func:`terms` follows."""
    from kb.analysis import (JapaneseTokenizer, LatinFilter, LemmaFilter, NormalizeFilter,
                             PosStopFilter)

    return [type(i) for i in items] == [JapaneseTokenizer, PosStopFilter, LatinFilter,
                                        NormalizeFilter, LemmaFilter]
