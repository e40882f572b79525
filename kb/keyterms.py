"""The weights of a session's words, kept at index time for its related sessions.

Finding a session's key terms weighs each of its words by how often it
occurs, then by how rare it is in the index (see ``Reader.key_terms``). The
first half is an analysis of the session's title and notes, about 10 ms a
page: it is made while indexing, from the analysis tagging has just made, and
kept in the ``terms`` column, so that a page only looks up the rarity.
"""

import json
import zlib

from kb.glosses import MARK


def term_weights(analyzer, title: str, text: str) -> dict[str, int]:
    """How often each indexed term occurs in a session's title and its notes.

    Each is analysed alone, as tagging and indexing analyse them, so that the
    analyzer's memory serves; a gloss counts once, as in one text.
    """
    weights: dict[str, int] = {}
    for value in (title, text):
        grouped = analyzer.positions(value) if value else None
        if grouped is None and value:
            grouped = {}
            for t in analyzer.terms(value, positions=True, mode="index"):
                grouped.setdefault(t[0], []).append(t[2])
        if not weights:
            weights = dict(zip(grouped, map(len, grouped.values()))) if grouped else {}
            continue
        get = weights.get
        for word, positions in (grouped or {}).items():
            weights[word] = get(word, 0) + len(positions)
    for word in weights:
        if word.startswith(MARK):
            weights[word] = 1
    return weights


def encode(weights: dict[str, int]) -> bytes:
    """The column value of a session's term weights."""
    data = json.dumps(weights, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(data.encode("utf-8"), 1)


def decode(value: bytes) -> dict[str, int]:
    """A session's term weights from their column value (none for other documents)."""
    return json.loads(zlib.decompress(value)) if value else {}
