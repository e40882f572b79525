"""Highlighted snippets: a window of a session's text with its matched words marked.

A :class:`Snippet` is text in pieces, each marked or not; the JSON API and
the site show it as HTML with <mark>, the terminal with brackets or colour.

The window is found by looking for the query's words as plain strings. Whole
words are then marked from the word boundaries the indexer stored with each
session (:func:`word_bounds`): analysing text again for every result cost
more than the rest of a search, and kept the analyser's dictionary in memory.
"""

import html
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable

from kb.folding import Offsets, folded_with_offsets
from kb.latin import connector_parts, pieces

SNIPPET_CHARS = 140
MAX_PROBE_HITS = 64
_KANA_TAIL = re.compile(r"[ぁ-ん]+$")


def probes(terms, fragments=()) -> set[str]:
    """Strings to look for in folded text: terms, fragments, and verb stems (止める -> 止め)."""
    found = set(fragments)
    for term in terms:
        found.add(term)
        stem = _KANA_TAIL.sub("", term)
        if stem and stem != term:
            found.add(stem)
    # one kana or Latin letter matches nearly everywhere: it cannot place a window
    return {p for p in found if len(p) > 1 or not (p.isascii() or "ぁ" <= p <= "ん")}


def probe_hits(folded, strings) -> list[tuple[int, int]]:
    """Sorted (start, end) of the strings' occurrences, a bounded number per string."""
    hits = []
    for s in strings:
        start = folded.find(s)
        count = 0
        while start >= 0 and count < MAX_PROBE_HITS:
            hits.append((start, start + len(s)))
            start = folded.find(s, start + len(s))
            count += 1
    return sorted(hits)


def _merge(spans):
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text, spans, size):
    """The start and end of the window holding the most matches."""
    if not spans or len(text) <= size:
        return 0, min(len(text), size)
    best, best_count, j = spans[0][0], 0, 0
    for i, (start, _) in enumerate(spans):  # sliding window over sorted spans
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= start + size:
            j += 1
        if j - i + 1 > best_count:
            best, best_count = start, j - i + 1
    start = max(0, best - size // 4)
    newline = text.rfind("\n", start, best)
    if newline >= 0:
        start = newline + 1
    return start, min(len(text), start + size)


def word_bounds(tokenizer, text) -> bytes:
    """Start and end of every word of ``text`` that can be indexed, packed for storage.

    Particles, auxiliaries and punctuation are left out, as the index leaves them out.
    """
    bounds = array("I", tokenizer.bounds(text))
    if sys.byteorder == "big":  # stored little-endian
        bounds.byteswap()
    return bounds.tobytes()


def _unpack(packed):
    bounds = array("I")
    bounds.frombytes(packed)
    if sys.byteorder == "big":
        bounds.byteswap()
    return bounds[0::2], bounds[1::2]


def _is_match(word, terms, stems, latin=True):
    """Whether a folded word is one of the query's terms.

    An inflected word matches through its stem (止め for 止める); a Latin word
    through its pieces (go in go1.21), its parts (code in de:code) and its
    singular (pipeline for pipelines), as the index matched them. ``latin``
    false says no term is in Latin letters: no Latin word can then match.
    """
    if word in terms:
        return True
    if word.isascii():
        return latin and any(w in terms for w in _latin_forms(word))
    head = _KANA_TAIL.sub("", word) if "ぁ" <= word[-1] <= "ん" else word
    return bool(head) and head in stems


def _latin_forms(word):
    """What a folded Latin word may have been indexed as (plurals guessed from their endings)."""
    forms = []
    for _, piece in pieces(word):
        forms += [piece, *connector_parts(piece)]
    for form in list(forms):
        if len(form) > 3 and form.endswith("s"):
            forms += [form[:-1], form[:-2], form[:-3] + "y", form[:-2] + "is"]
    return forms


def match_probes(terms) -> set[str]:
    """Strings that every word :func:`_is_match` accepts holds, whatever their length.

    A term, a verb's stem, and for Latin terms what a plural keeps of its
    singular (librar of library in libraries, analys of analysis in analyses).
    """
    found = set()
    for term in terms:
        found.add(term)
        stem = _KANA_TAIL.sub("", term)
        if stem:
            found.add(stem)
        if term.isascii() and len(term) > 3:
            if term.endswith("y"):
                found.add(term[:-1])
            elif term.endswith("is"):
                found.add(term[:-2])
    return found


@dataclass(frozen=True)
class Sought:
    """What the snippets of one search look for, worked out once for all its hits."""

    terms: frozenset[str]  # the index terms the query may match
    fragments: tuple[str, ...]  # parts of words it looks for inside longer words
    probes: tuple[str, ...]  # where the window goes: see :func:`probes`
    inside: tuple[str, ...]  # what every matching word holds: see :func:`match_probes`
    stems: frozenset[str]  # the terms' stems, where the stem is not the term
    latin: bool  # whether a term is in Latin letters (else no Latin word can match)


def sought(terms, fragments=()) -> Sought:
    """The :class:`Sought` of a query's terms and fragments."""
    terms = frozenset(terms)
    return Sought(terms, tuple(fragments), tuple(probes(terms, fragments)),
                  tuple(match_probes(terms)),
                  frozenset(stem for term in terms for stem in [_KANA_TAIL.sub("", term)]
                            if stem != term),
                  any(term.isascii() for term in terms))


def word_spans(folded, offsets, packed, start, end, terms) -> list[tuple[int, int]]:
    """Spans of the stored words within ``text[start:end]`` that are among ``terms``.

    ``folded`` and ``offsets`` are the text as :func:`folded_with_offsets` gave it;
    ``packed`` its words' bounds as :func:`word_bounds` packed them;
    ``terms`` may be a :class:`Sought`. Only words holding one of
    :func:`match_probes` are tried: a window has dozens of words and few
    matches, and trying each cost most of a snippet.
    """
    looked = terms if isinstance(terms, Sought) else sought(terms)
    starts, ends = _unpack(packed)
    first, last = bisect_right(ends, start), bisect_left(starts, end)
    if first >= last:
        return []
    terms, stems, latin = looked.terms, looked.stems, looked.latin
    folded_at = offsets.folded_at if offsets else int
    # the words cut by the window's edges are looked into whole
    at = folded_at(min(start, starts[first]))
    hits = [(at + s, at + e) for s, e in
            probe_hits(folded[at:folded_at(max(end, ends[last - 1]))], looked.inside)]
    tried, spans = set(), []
    for s, e in offsets.spans(hits) if offsets else hits:
        for i in range(max(first, bisect_right(ends, s)), min(last, bisect_left(starts, e))):
            if i in tried:
                continue
            tried.add(i)
            word = folded[folded_at(starts[i]):folded_at(ends[i])]
            if _is_match(word, terms, stems, latin):
                spans.append((starts[i], ends[i]))
    return sorted(spans)


@dataclass(frozen=True)
class Snippet:
    """A window of a text: pieces of (text, marked), and whether text was cut before and after."""

    pieces: tuple[tuple[str, bool], ...] = ()
    cut_before: bool = False
    cut_after: bool = False

    @property
    def text(self) -> str:
        """The window's plain text."""
        return "".join(piece for piece, _ in self.pieces)

    def render(self, plain: Callable[[str], str], marked: Callable[[str], str]) -> str:
        """The snippet with each piece written by ``plain`` or ``marked``, and … where cut."""
        out = "".join(marked(p) if m else plain(p) for p, m in self.pieces)
        if not out:
            return ""
        return ("…" if self.cut_before else "") + out + ("…" if self.cut_after else "")

    def html(self) -> str:
        """The snippet as HTML: text escaped, matched words in <mark>."""
        return self.render(html.escape, lambda p: f"<mark>{html.escape(p)}</mark>")

    def __bool__(self) -> bool:
        return bool(self.pieces)


def cut(text, spans, start, end) -> Snippet:
    """The :class:`Snippet` of ``text[start:end]`` with ``spans`` marked, blanks collapsed."""
    pieces, cursor = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start, cursor), min(e, end)
        if s >= e:
            continue
        pieces.append((text[cursor:s], False))
        pieces.append((text[s:e], True))
        cursor = e
    pieces.append((text[cursor:end], False))
    return Snippet(_collapse(pieces), start > 0, end < len(text))


def _collapse(pieces):
    """Pieces with runs of blanks made one space (never inside a mark), blanks at the ends dropped."""
    out, blank = [], False
    for piece, marked in pieces:
        words = piece.split()
        if not words:
            blank = blank or bool(piece)
            continue
        if out and (blank or piece[:1].isspace()):
            if out[-1][1]:
                out.append((" ", False))
            else:
                out[-1] = (out[-1][0] + " ", False)
        joined = " ".join(words)
        if out and not out[-1][1] and not marked:
            out[-1] = (out[-1][0] + joined, False)
        else:
            out.append((joined, marked))
        blank = piece[-1:].isspace()
    return tuple(out)


class Prepared:
    """A text with its words' bounds, and the text folded on first use, then kept.

    A search's hits are often sessions shown lately: kept with the record, the
    folding (half of a snippet's work) is done once per session, not per search.
    """

    __slots__ = ("text", "words", "_folded")

    def __init__(self, text: str, words: bytes) -> None:
        self.text = text
        self.words = words  # as :func:`word_bounds` packed them
        self._folded: tuple[str, Offsets | None] | None = None

    @property
    def folded(self) -> tuple[str, Offsets | None]:
        """The text folded, and its offsets (see :func:`folded_with_offsets`)."""
        found = self._folded
        if found is None:  # threads computing it at once compute the same
            found = self._folded = folded_with_offsets(self.text)
        return found


def snippet(text, words, terms, fragments=(), size=SNIPPET_CHARS) -> Snippet:
    """The :class:`Snippet` of ``text`` for a query's index terms and the parts of words it looks for.

    ``words`` are the text's word boundaries as :func:`word_bounds` packed them;
    ``terms`` may be a :class:`Sought` (its fragments then stand for
    ``fragments``), as a search passes for each of its hits. The window is the
    stretch of text holding the most matches, wherever in the notes it is.
    """
    return prepared_snippet(Prepared(text, words), terms, fragments, size)


def prepared_snippet(prepared: Prepared, terms, fragments=(), size=SNIPPET_CHARS) -> Snippet:
    """:func:`snippet` of a :class:`Prepared` text (what a search keeps for its hits)."""
    text = prepared.text
    looked = terms if isinstance(terms, Sought) else sought(terms, fragments)
    if not looked.terms and not looked.fragments:  # nothing to look for: the start of the text
        return cut(text, [], *_window(text, [], size))
    folded, offsets = prepared.folded
    back = offsets.spans if offsets else list
    hits = back(probe_hits(folded, looked.probes))
    start, end = _window(text, sorted(hits), size)
    spans = []
    if looked.terms and prepared.words:
        spans += word_spans(folded, offsets, prepared.words, start, end, looked)
    spans += [h for h in back(probe_hits(folded, looked.fragments))
              if h[0] >= start and h[1] <= end]
    return cut(text, _merge(sorted(set(spans))), start, end)
