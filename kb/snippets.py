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
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable

from kb.analysis import is_stop, normalize
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
    bounds = array("I")
    for start, end, surface, tag, lemma, _ in tokenizer.morphemes(text):
        if not is_stop(tag, lemma, surface):
            bounds.extend((start, end))
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
    head = _KANA_TAIL.sub("", word)
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


def word_spans(text, folded, packed, start, end, terms) -> list[tuple[int, int]]:
    """Spans of the stored words within ``text[start:end]`` that are among ``terms``."""
    starts, ends = _unpack(packed)
    stems = {stem for term in terms for stem in [_KANA_TAIL.sub("", term)] if stem != term}
    latin = any(term.isascii() for term in terms)  # else Latin words need no forms worked out
    spans = []
    for i in range(bisect_right(ends, start), bisect_left(starts, end)):
        s, e = starts[i], ends[i]
        word = folded[s:e] if folded is not None else normalize(text[s:e])
        if _is_match(word, terms, stems, latin):
            spans.append((s, e))
    return spans


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


# characters that fold to one character and compose with none (ASCII, Japanese
# punctuation, kana, common kanji, full-width ASCII), in runs; else one character
ONE_TO_ONE_CHARS = (r"[\x00-\x7f\u3000-\u3029\u3030-\u303f\u3041-\u3096\u30a1-\u30fa"
                    r"\u30fc\u4e00-\u9fff\uff01-\uff5e]")
ONE_TO_ONE = re.compile(ONE_TO_ONE_CHARS + "+|.", re.S)
ONE_TO_ONE_LINE = re.compile(ONE_TO_ONE_CHARS + "*")


def folded_with_offsets(text) -> tuple[str, list[int] | None]:
    """``text`` folded as index terms are, and where each folded character came from.

    Folding may change lengths (ｶﾞ is one character folded, ㈱ three): the
    offsets map matches found in the folded text back to the text.
    """
    if unicodedata.is_normalized("NFKC", text):  # a quick check: most notes are
        folded = text.lower()
        if len(folded) == len(text):
            return folded, None
    # Folded a line at a time: NFKC never joins characters across a line break,
    # and one character that needs it (… is ...) made Python fold all of a
    # session's text the slow way, most of a snippet's time.
    lines = text.split("\n")
    folded_lines = [normalize(line) for line in lines]
    if all(len(a) == len(b) for a, b in zip(lines, folded_lines)):
        return "\n".join(folded_lines), None
    pieces, origin, at = [], [], 0
    for line, folded in zip(lines, folded_lines):
        if at:
            pieces.append("\n")
            origin.append(at - 1)
        if ONE_TO_ONE_LINE.fullmatch(line):  # one run: folded as a whole, as its run would be
            pieces.append(folded)
            origin.extend(range(at, at + len(line)))
        else:
            _fold_line(line, at, pieces, origin)
        at += len(line) + 1
    origin.append(len(text))
    return "".join(pieces), origin


def _fold_line(line, at, pieces, origin):
    """Fold a line that starts at ``at`` of its text, a run at a time, noting where each
    folded character came from."""
    # each character folded on its own, but runs of those that fold to one
    # character (ASCII, kana, common kanji) in one call: a call per character
    # cost milliseconds per snippet
    for m in ONE_TO_ONE.finditer(line):
        piece = normalize(m.group(0))
        pieces.append(piece)
        if len(piece) == m.end() - m.start():
            origin.extend(range(at + m.start(), at + m.end()))
        else:  # one character folded to several, or to none
            origin.extend([at + m.start()] * len(piece))


def _back(hits, origin):
    """Folded-text spans as spans of the original text."""
    if origin is None:
        return hits
    return [(origin[s], origin[e - 1] + 1) for s, e in hits if e > s]


def snippet(text, words, terms, fragments=(), size=SNIPPET_CHARS) -> Snippet:
    """The :class:`Snippet` of ``text`` for a query's index terms and the parts of words it looks for.

    ``words`` are the text's word boundaries as :func:`word_bounds` packed them.
    The window is the stretch of text holding the most matches, wherever in
    the notes it is.
    """
    if not terms and not fragments:  # nothing to look for: the start of the text
        return cut(text, [], *_window(text, [], size))
    folded, origin = folded_with_offsets(text)
    hits = _back(probe_hits(folded, probes(terms, fragments)), origin)
    start, end = _window(text, sorted(hits), size)
    spans = []
    if terms and words:
        spans += word_spans(text, folded if origin is None else None, words, start, end, terms)
    spans += [h for h in _back(probe_hits(folded, fragments), origin)
              if h[0] >= start and h[1] <= end]
    return cut(text, _merge(sorted(set(spans))), start, end)
