"""Highlighted snippets: a window of a session's text with matches in <mark>.

Analysing a whole session's notes for every result costs more than the rest
of a search, so the window is found first by looking for the query's words as
plain strings, and only the window is analysed to mark whole words.
"""

import html
import re

from kb.analysis import normalize

SNIPPET_CHARS = 140
MARGIN = 24  # analysed on each side of the window, so words at its edges stay whole
MAX_PROBE_HITS = 64
_KANA_TAIL = re.compile(r"[ぁ-ん]+$")


def probes(terms, fragments=()):
    """Strings to look for in folded text: terms, fragments, and verb stems (止める -> 止め)."""
    found = set(fragments)
    for term in terms:
        found.add(term)
        stem = _KANA_TAIL.sub("", term)
        if stem and stem != term:
            found.add(stem)
    # one kana or Latin letter matches nearly everywhere: it cannot place a window
    return {p for p in found if len(p) > 1 or not (p.isascii() or "ぁ" <= p <= "ん")}


def probe_hits(folded, strings):
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


def word_spans(analyzer, text, start, end, terms):
    """Spans of whole words in ``text[start:end]`` whose index terms are among ``terms``."""
    spans = []
    for t in analyzer(text[start:end], chars=True, mode="index"):
        if t.text in terms:
            spans.append((start + t.startchar, start + t.endchar))
    return spans


def render(text, spans, start, end):
    """HTML of ``text[start:end]``: text escaped, spans wrapped in <mark>."""
    out, cursor = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start, cursor), min(e, end)
        if s >= e:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    snippet = " ".join("".join(out).split())
    if start > 0:
        snippet = "…" + snippet
    if end < len(text):
        snippet += "…"
    return snippet


def snippet(analyzer, text, terms, fragments=(), size=SNIPPET_CHARS):
    """A highlighted snippet of ``text`` for a query's index terms and katakana fragments."""
    folded = normalize(text)
    aligned = len(folded) == len(text)  # folding kept every offset in place
    hits = probe_hits(folded, probes(terms, fragments)) if aligned and (terms or fragments) else []
    start, end = _window(text, hits, size)
    spans = []
    if terms:
        lo, hi = max(0, start - MARGIN), min(len(text), end + MARGIN)
        spans += word_spans(analyzer, text, lo, hi, terms)
    if aligned:
        spans += [h for h in probe_hits(folded[start:end], fragments)
                  for h in [(h[0] + start, h[1] + start)]]
    return render(text, _merge(sorted(set(spans))), start, end)
