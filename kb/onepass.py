"""The terms of a text as the Japanese analyzer gives them, in one pass over MeCab's output.

The analyzer of text fields is a tokenizer and four filters, each a generator
that hands the next one a token object (see :mod:`kb.analysis`): for a
million words that plumbing cost as much as MeCab itself. :func:`terms` does
what that chain does, step for step, going once over MeCab's output lines and
giving plain tuples; the tests compare the two on every kind of word.

What the filters make of a word depends on the word alone (its surface, tag
and lemma) but for two things: whether an honorific follows a name, and
whether a gloss was given before in the text. The rest is worked out once per
distinct line of MeCab's output (a :data:`Word`) and remembered in a memo the
caller keeps: a text's words are mostly words seen before, and looking a line
up costs a fraction of reading and working it out. Words that may hold Latin
words (a letter or a digit in them) take a slower path, which cuts them as the
tokenizer does.
"""

from __future__ import annotations

from typing import Any

from kb.analysis import (LATIN_TAG, NAME_TAGS, ONE_KANA, SYMBOL_POS, _has_alnum, is_stop,
                         latin_spans, latin_words, mecab_word, normalize)
from kb.glosses import MARK, split_gloss
from kb.latin import LATIN_CHAR

PROPER_NOUN = "名詞,固有名詞"
MEMO_SIZE = 50_000  # distinct words remembered per mode: a few MB
ALWAYS, AFTER_NAME = 1, 2  # how a word is stopped (0: it is not)
LATIN, NO_WORD = 1, 2  # a line that may hold Latin words; one that is no word (the end line)

# What the chain makes of one word of MeCab's, whatever its place in a text: a plain
# tuple (unpacked for every word of every text, which a named tuple slows down) of
# - surface, its length;
# - stop: 0, ALWAYS or AFTER_NAME (an honorific, stopped after a name);
# - name: whether a word after it follows a name;
# - texts: its terms, at its position; None for a Latin word;
# - gloss: its gloss as a term (MARK + gloss), given once per text; '' for none;
# - indexed: whether its bounds are kept (see kb.analysis.indexed_morphemes);
# - odd: 0, LATIN or NO_WORD: whether the common path can take it;
# - forms: for a Latin word, its pieces as LatinForms gives them (terms folded) and
#   its join; else None;
# - whole: for a LATIN line, the Word of its surface as one Latin word, which most
#   such lines are, if it is not that word itself; else None.
Word = tuple[str, int, int, bool, "tuple[str, ...] | None", str, bool, int, Any, Any]
NOT_A_WORD: Word = ("", 0, 0, False, (), "", False, NO_WORD, None, None)


def terms(items: list, value: str, positions: bool, chars: bool, mode: str,
          memo: dict | None = None) -> list[tuple]:
    """(text, boost, pos, startchar, endchar) of each term the chain ``items`` gives ``value``.

    ``items`` are the JapaneseTokenizer, PosStopFilter, LatinFilter,
    NormalizeFilter and LemmaFilter of a JapaneseAnalyzer; the call is the one
    RememberingAnalyzer remembers (stops removed, from position 0 and character 0).
    pos is 0 without ``positions``, startchar and endchar 0 without ``chars``.
    ``memo`` keeps what the chain makes of words across calls with the same ``items``.
    """
    out: list[tuple] = []
    _walk(items, value, positions, chars, mode == "query", memo, out, None, None)
    return out


def grouped(items: list, value: str, memo: dict | None = None) -> dict[str, list[int]]:
    """Each index term of ``value`` with its positions, in the order of their first
    occurrence: the terms of ``terms(items, value, True, False, "index")`` grouped, without
    a tuple for each."""
    return scan(items, value, memo)[0]


def scan(items: list, value: str, memo: dict | None = None) -> tuple[dict[str, list[int]],
                                                                     list[int]]:
    """:func:`grouped`, and the bounds of the words the index keeps (see
    ``JapaneseTokenizer.bounds``), found in the same pass."""
    found: dict[str, list[int]] = {}
    bounds: list[int] = []
    _walk(items, value, True, False, False, memo, [], found, bounds)
    return found, bounds


def _walk(items, value, positions, chars, query, memo, out, group, bounds):
    """The terms of ``value``, added to the list ``out`` as (text, 1.0, pos, startchar,
    endchar), or if ``group`` is a dict, by position to it; with ``bounds``, the start and
    end of each word the index keeps added to it.

    The common path below is :func:`slow`'s steps for a word that is not Latin, written
    out, as most words take it and a function call for each would be dear.
    """
    tokenizer, _, latin_filter, _, _ = items
    memo = {} if memo is None else memo
    words = memo.get(query)
    if words is None or len(words) >= MEMO_SIZE:
        words = memo[query] = {}
    seen: set[str] = set()  # glosses given
    add = out.append
    keep = None if bounds is None else bounds.append
    startswith, find = value.startswith, value.find
    # index: the word's place among MeCab's (positions count from 0); shift: positions
    # added by Latin words cut in several
    cursor = index = 0
    shift = -1
    after_name = False
    # the slow path's: Latin words of the text (found when first needed), the first
    # not passed, the last given; a Latin word the next may join (see LatinFilter)
    latin: list[tuple[int, int]] | None = None
    li = count = 0
    emitted = -1
    joinable: tuple[int, str] | None = None

    def put(term, pos, start, end):
        if group is None:
            add((term, 1.0, pos, start, end))
        else:
            held = group.get(term)
            if held is None:
                group[term] = [pos]
            else:
                held.append(pos)

    extras = latin_filter.extras and not query

    def slow(start, end, word):
        """A word as the chain takes it, whatever it is: the common path's steps, and
        LatinFilter's for a Latin word."""
        nonlocal index, shift, after_name, joinable
        _, _, stop, name, texts, gloss, indexed, _, forms, _ = word
        index += 1
        if indexed and keep is not None:
            keep(start)
            keep(end)
        if stop and (stop == ALWAYS or after_name):
            after_name = name
            return
        after_name = name
        pos = index + shift if positions else 0
        if not chars:
            start = end = 0
        if texts is not None:
            joinable = None
            for term in texts:
                put(term, pos, start, end)
            if gloss and gloss not in seen:
                seen.add(gloss)
                put(gloss, pos, start, end)
            return
        # LatinFilter, then NormalizeFilter; LemmaFilter passes each term of a Latin
        # word as it is, and its gloss (if any) after the first
        pieces, join = forms
        base, origin = pos, start
        for i, (offset, length, term, parts) in enumerate(pieces):
            if positions:
                pos = base + i
            if chars:
                start, end = origin + offset, origin + offset + length
            put(term, pos, start, end)
            if gloss and gloss not in seen:
                seen.add(gloss)
                put(gloss, pos, start, end)
            if extras:
                for part in parts:
                    put(part, pos, start, end)
        shift += len(pieces) - 1
        if not (extras and join and positions):
            joinable = None
            return
        if joinable is not None and joinable[0] == pos - 1:
            put(joinable[1] + join, pos, start, end)  # ASCII letters: folded as they are
            if gloss and gloss not in seen:
                seen.add(gloss)
                put(gloss, pos, start, end)
        joinable = (pos, join)

    for line in tokenizer.lines(value):
        word = words.get(line)
        if word is None:
            word = words[line] = _line_word(items, query, line)
        surface, length, stop, name, texts, gloss, indexed, odd, _, whole = word
        # a word starts past the whitespace MeCab skips, which no word starts with
        if startswith(surface, cursor):
            start = cursor
        else:  # whitespace, or characters MeCab dropped or altered: find the word ahead
            start = find(surface, cursor)
            if start < 0:
                continue
        end = cursor = start + length
        if odd:
            if odd == NO_WORD:
                continue
            # the tokenizer's Latin words (see JapaneseTokenizer._morphemes)
            if latin is None:
                latin = latin_spans(value)
                count = len(latin)
            while li < count and latin[li][1] <= start:
                li += 1
            if li < count and latin[li] == (start, end):  # one Latin word, as most are
                emitted = li
                slow(start, end, whole or word)  # (None: the line is that word)
            elif li < count and latin[li][0] < end:
                cut: list[tuple] = []
                emitted = latin_words(value, latin, li, end, emitted, cut.append)
                for s, e, text, tag, lemma, _ in cut:
                    found = words.get((text, tag, lemma))
                    if found is None:
                        found = words[text, tag, lemma] = _word(items, query, text, tag, lemma)
                    slow(s, e, found)
            else:
                slow(start, end, word)
            continue
        # PosStopFilter: what carries no meaning goes (an honorific only after a name)
        index += 1
        if indexed and keep is not None:
            keep(start)
            keep(end)
        if stop and (stop == ALWAYS or after_name):
            after_name = name
            continue
        after_name = name
        joinable = None
        if gloss and gloss not in seen:
            seen.add(gloss)
            texts = (*texts, gloss)
        if group is not None:
            pos = index + shift
            for term in texts:
                held = group.get(term)
                if held is None:
                    group[term] = [pos]
                else:
                    held.append(pos)
        else:
            pos = index + shift if positions else 0
            if not chars:
                start = end = 0
            for term in texts:
                add((term, 1.0, pos, start, end))


def _line_word(items: list, query: bool, line: str) -> Word:
    """The :data:`Word` of a line of MeCab's output."""
    found = mecab_word(line)
    if not found:
        return NOT_A_WORD
    surface, tag, lemma, _ = found
    return _word(items, query, surface, tag, lemma)


def _word(items: list, query: bool, text: str, tag: str, lemma: str) -> Word:
    """The :data:`Word` of a morpheme."""
    stop, name, texts, gloss = _plan(items, query, text, tag, lemma)
    forms = whole = None
    odd = 0
    if texts is None:  # a Latin word: LatinFilter's pieces, then NormalizeFilter's folding
        pieces, join = items[2].forms.of(text)
        forms = (tuple((offset, length, normalize(term), tuple(map(normalize, parts)))
                       for offset, length, term, parts in pieces), join)
        odd = LATIN
    if (tag, lemma) != (LATIN_TAG, text) and (texts is None or LATIN_CHAR.search(text)):
        whole = _word(items, query, text, LATIN_TAG, text)
        odd = LATIN
    return (text, len(text), stop, name, texts, gloss, not is_stop(tag, lemma, text), odd,
            forms, whole)


def _plan(items: list, query: bool, text: str, tag: str, lemma: str) -> tuple:
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
    return stop, tag.startswith(NAME_TAGS), texts, gloss and MARK + gloss


def is_plain_chain(items: list[Any]) -> bool:
    """Whether ``items`` are exactly the Japanese analyzer's chain, which :func:`terms` follows."""
    from kb.analysis import (JapaneseTokenizer, LatinFilter, LemmaFilter, NormalizeFilter,
                             PosStopFilter)

    return [type(i) for i in items] == [JapaneseTokenizer, PosStopFilter, LatinFilter,
                                        NormalizeFilter, LemmaFilter]
