"""The terms of a text as the Japanese analyzer gives them, in one pass over its words.

The analyzer of text fields is a tokenizer and four filters, each a generator
that hands the next one a token object (see :mod:`kb.analysis`): for a
million words that plumbing cost as much as MeCab itself. :func:`terms` does
what that chain does, step for step, over the tokenizer's remembered words
and gives plain tuples; the tests compare the two on every kind of word.

What the filters make of a word depends on the word alone (its surface, tag
and lemma) but for two things: whether an honorific follows a name, and
whether a gloss was given before in the text. The rest is worked out once per
distinct word (a :class:`Plan`) and remembered in a memo the caller keeps: a
text's words are mostly words seen before, and looking one up costs a fraction
of working it out.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kb.analysis import LATIN_TAG, NAME_TAGS, ONE_KANA, SYMBOL_POS, _has_alnum, normalize
from kb.glosses import MARK, split_gloss

PROPER_NOUN = "名詞,固有名詞"
MEMO_SIZE = 50_000  # distinct words remembered per mode: a few MB
ALWAYS, AFTER_NAME = 1, 2  # how a word is stopped (0: it is not)


class Plan(NamedTuple):
    """What the chain makes of one word, whatever its place in a text."""

    stop: int  # 0, ALWAYS or AFTER_NAME (an honorific, stopped after a name)
    name: bool  # whether a word after it follows a name
    texts: tuple[str, ...] | None  # its terms, at its position; None for a Latin word
    gloss: str  # its gloss as a term (MARK + gloss), given once per text; '' for none


def terms(items: list, value: str, positions: bool, chars: bool, mode: str,
          memo: dict | None = None) -> list[tuple]:
    """(text, boost, pos, startchar, endchar) of each term the chain ``items`` gives ``value``.

    ``items`` are the JapaneseTokenizer, PosStopFilter, LatinFilter,
    NormalizeFilter and LemmaFilter of a JapaneseAnalyzer; the call is the one
    RememberingAnalyzer remembers (stops removed, from position 0 and character 0).
    pos is 0 without ``positions``, startchar and endchar 0 without ``chars``.
    ``memo`` keeps the plans of words across calls with the same ``items``.
    """
    out: list[tuple] = []
    _walk(items, value, positions, chars, mode == "query", memo, out, None)
    return out


def grouped(items: list, value: str, memo: dict | None = None) -> dict[str, list[int]]:
    """Each index term of ``value`` with its positions, in the order of their first
    occurrence: the terms of ``terms(items, value, True, False, "index")`` grouped, without
    a tuple for each."""
    found: dict[str, list[int]] = {}
    _walk(items, value, True, False, False, memo, None, found)
    return found


def _walk(items, value, positions, chars, query, memo, out, group):
    """The terms of ``value``, added to the list ``out`` as (text, 1.0, pos, startchar,
    endchar), or else by position to the dict ``group``."""
    tokenizer, _, latin, _, _ = items
    extras = latin.extras and not query
    forms = latin.forms
    memo = {} if memo is None else memo
    plans = memo.get(query)
    if plans is None or len(plans) >= MEMO_SIZE:
        plans = memo[query] = {}
    folded: dict[str, str] = {}  # the same words come back: NFKC once each
    seen: set[str] = set()
    if group is None:
        add = out.append

        def put(term, pos, start, end):
            add((term, 1.0, pos, start, end))
    else:
        def put(term, pos, start, end):
            held = group.get(term)
            if held is None:
                group[term] = [pos]
            else:
                held.append(pos)
    after_name, shift, joinable = False, 0, None
    for index, (start, end, text, tag, lemma, _) in enumerate(tokenizer.morphemes(value)):
        plan = plans.get((text, tag, lemma))
        if plan is None:
            plan = plans[text, tag, lemma] = _plan(items, query, text, tag, lemma)
        stop, name, texts, gloss = plan
        # PosStopFilter: what carries no meaning goes (an honorific only after a name)
        if stop and (stop == ALWAYS or after_name):
            after_name = name
            continue
        after_name = name
        pos = index + shift if positions else 0
        if not chars:
            start = end = 0
        if texts is not None:  # most words: their terms at their position, inline
            joinable = None
            if gloss and gloss not in seen:
                seen.add(gloss)
                texts = (*texts, gloss)
            if group is None:
                for term in texts:
                    add((term, 1.0, pos, start, end))
            else:
                for term in texts:
                    held = group.get(term)
                    if held is None:
                        group[term] = [pos]
                    else:
                        held.append(pos)
            continue
        # LatinFilter, then NormalizeFilter; LemmaFilter passes each term of a Latin
        # word as it is, and its gloss (if any) after the first
        found, join = forms.of(text)
        base, origin = pos, start
        for i, (offset, length, term, parts) in enumerate(found):
            if positions:
                pos = base + i
            if chars:
                start, end = origin + offset, origin + offset + length
            put(_fold(folded, term), pos, start, end)
            if gloss and gloss not in seen:
                seen.add(gloss)
                put(gloss, pos, start, end)
            if extras:
                for part in parts:
                    put(_fold(folded, part), pos, start, end)
        shift += len(found) - 1
        if not (extras and join and positions):
            joinable = None
            continue
        if joinable is not None and joinable[0] == pos - 1:
            put(_fold(folded, joinable[1] + join), pos, start, end)
            if gloss and gloss not in seen:
                seen.add(gloss)
                put(gloss, pos, start, end)
        joinable = (pos, join)


def _plan(items: list, query: bool, text: str, tag: str, lemma: str) -> Plan:
    """What PosStopFilter, NormalizeFilter and LemmaFilter make of a word, wherever it stands."""
    _, stops, _, _, lemmas = items
    if "-" in lemma:
        lemma, gloss = split_gloss(lemma)
    else:
        gloss = ""
    if tag.startswith(stops.stop_pos) or lemma in stops.stop_lemmas or (
            tag.startswith(SYMBOL_POS) and not _has_alnum(text)):
        stop = ALWAYS
    elif lemma in stops.honorifics:
        stop = ALWAYS if tag.startswith("接尾辞") else AFTER_NAME
    else:
        stop = 0
    surface = normalize(text)
    folded = surface if lemma == text else normalize(lemma)
    if not (lemmas.glosses and not query and gloss) or (len(folded) == 1 and ONE_KANA.match(folded)):
        gloss = ""
    texts: tuple[str, ...] | None
    if tag == LATIN_TAG:
        texts = None
    elif tag.startswith(PROPER_NOUN):
        texts = (surface,)
    elif lemmas.surface and not query and surface != folded:
        texts = (surface, folded)
    else:
        texts = (folded,)
    return Plan(stop, tag.startswith(NAME_TAGS), texts, gloss and MARK + gloss)


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
