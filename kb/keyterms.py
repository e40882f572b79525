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
        if not value:
            continue
        grouped = analyzer.positions(value)  # None where a term is boosted: count them one by one
        counts = (zip(grouped, map(len, grouped.values())) if grouped is not None
                  else ((t[0], 1) for t in analyzer.terms(value, positions=True, mode="index")))
        for word, count in counts:
            weights[word] = weights.get(word, 0) + count
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
