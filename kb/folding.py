"""Text folded as index terms are folded, with a way back to the text's offsets.

Snippets look for a query's terms in a session's text folded (NFKC, lower
case), then mark them in the text as written. Folding may change lengths (ｶﾞ
is one character folded, ㈱ three, … is ...): :class:`Offsets` maps between
the two.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right

from kb.analysis import normalize

# Characters NFKC leaves as they are and that compose with nothing (ASCII, most
# Japanese punctuation, kana, common kanji): their folding is lower(). Every
# other character goes through NFKC, which costs about 0.2 µs a character.
STABLE_CHARS = (r"\x00-\x7f\u3001-\u3029\u3030-\u3035\u3037\u303b-\u303f\u3041-\u3096"
                r"\u309d\u309e\u30a0-\u30fe\u4e00-\u9fff")
UNSTABLE = re.compile(f"[^{STABLE_CHARS}]+")


class Offsets:
    """Where the characters of a folded text came from, as breakpoints.

    From each breakpoint's folded offset on, folded and written text advance
    together until the next; a character folded to several gets a breakpoint
    for each (all pointing at it). Breakpoints are few: one per run folded to
    another length, and a list of every offset cost more than the search.
    """

    def __init__(self) -> None:
        self.folded: list[int] = [0]
        self.written: list[int] = [0]

    def add(self, folded, written) -> None:
        """A breakpoint: ``folded`` comes from ``written`` (replacing one at the same place)."""
        if self.folded[-1] == folded:
            self.written[-1] = written
        else:
            self.folded.append(folded)
            self.written.append(written)

    def written_at(self, folded) -> int:
        """Where the folded character at ``folded`` came from."""
        i = bisect_right(self.folded, folded) - 1
        return self.written[i] + folded - self.folded[i]

    def folded_at(self, written) -> int:
        """Where the written character at ``written`` begins in the folded text."""
        i = bisect_left(self.written, written)
        if i < len(self.written) and self.written[i] == written:
            return self.folded[i]
        at = self.folded[i - 1] + written - self.written[i - 1]
        return min(at, self.folded[i]) if i < len(self.folded) else at

    def spans(self, hits) -> list[tuple[int, int]]:
        """Folded-text spans as spans of the written text."""
        return [(self.written_at(s), self.written_at(e - 1) + 1) for s, e in hits if e > s]


def folded_with_offsets(text) -> tuple[str, Offsets | None]:
    """``text`` folded as index terms are, and its :class:`Offsets` (None: the same)."""
    if unicodedata.is_normalized("NFKC", text):  # a quick check: most notes are
        folded = text.lower()
        if len(folded) == len(text):
            return folded, None
    # Only runs of other characters go through NFKC (a whole session's text
    # through it was most of a snippet's time, for one … or ＧＰＵ in it), one
    # by one as the pattern finds them; the rest is lowered as a whole: its
    # characters lower alone, and what NFKC gave is lower case already.
    offsets = Offsets()
    shift = 0  # how much longer the folded text is, so far

    def fold(found: re.Match[str]) -> str:
        nonlocal shift
        written = found.group()
        run = normalize(written)
        if len(run) != len(written):
            start, end = found.span()
            _changed(written, start, run, start + shift, offsets)
            shift += len(run) - len(written)
            offsets.add(end + shift, end)  # the same again from here
        return run

    folded = UNSTABLE.sub(fold, text).lower()
    if len(offsets.folded) == 1:
        return folded, None
    offsets.add(len(folded), len(text))  # the end, for spans that reach it
    return folded, offsets


def _changed(run, at, folded, into, offsets):
    """Breakpoints for ``run``, written at ``at`` and folded to ``folded`` at ``into``, of
    another length: exact when its characters fold apart (… is ...), else in
    proportion (ｶﾞｲﾄﾞ is ガイド)."""
    apart = [normalize(c) for c in run]
    if "".join(apart) == folded:
        for i, piece in enumerate(apart):
            for _ in piece:
                offsets.add(into, at + i)
                into += 1
    else:
        for j in range(len(folded)):
            offsets.add(into + j, at + j * len(run) // len(folded))
