"""Highlighted snippets: a window of a session's text with matches in <mark>."""

import html
import unicodedata

SNIPPET_CHARS = 140


def match_spans(analyzer, text, terms, fragments=()):
    """Character spans of ``text`` whose words (or katakana fragments) match."""
    spans = []
    if terms:
        for t in analyzer(text, chars=True, mode="index"):
            if t.text in terms:
                spans.append((t.startchar, t.endchar))
    if fragments:
        folded = unicodedata.normalize("NFKC", text)
        if len(folded) == len(text):  # offsets only line up when folding kept lengths
            for fragment in fragments:
                start = folded.find(fragment)
                while start >= 0:
                    spans.append((start, start + len(fragment)))
                    start = folded.find(fragment, start + len(fragment))
    return _merge(sorted(set(spans)))


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


def render(text, spans, size=SNIPPET_CHARS):
    """HTML of the best window: text escaped, matches wrapped in <mark>."""
    start, end = _window(text, spans, size)
    out, cursor = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
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
    """A highlighted snippet of ``text`` for a query's terms and fragments."""
    return render(text, match_spans(analyzer, text, terms, fragments), size)
