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

# made once: json.dumps builds an encoder for every call that asks for separators
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def term_weights(analyzer, title: str, text: str) -> dict[str, int]:
    """How often each indexed term occurs in a session's title and its notes.

    Each is analysed alone, as tagging and indexing analyse them, so that the
    analyzer's memory serves; a gloss counts once, as in one text.
    """
    weights: dict[str, int] = {}
    for value in (title, text):
        if not value:
            continue
        counts = _counts(analyzer, value)
        if not weights:
            weights = counts
            continue
        # the title's terms first, then the notes' others, each in the order met
        merged = {**weights, **counts}
        for word in weights.keys() & counts.keys():
            merged[word] = 1 if word.startswith(MARK) else weights[word] + counts[word]
        weights = merged
    return weights


def _counts(analyzer, value) -> dict[str, int]:
    """How often each indexed term occurs in one text; a gloss once (as the analyzer gives it)."""
    grouped = analyzer.positions(value)  # None where a term is boosted: count them one by one
    if grouped is not None:
        counts = dict(zip(grouped, map(len, grouped.values())))
    else:
        counts = {}
        for word, *_ in analyzer.terms(value, positions=True, mode="index"):
            counts[word] = counts.get(word, 0) + 1
    return counts


def encode(weights: dict[str, int]) -> bytes:
    """The column value of a session's term weights."""
    return zlib.compress(_ENCODER.encode(weights).encode("utf-8"), 1)


def decode(value: bytes) -> dict[str, int]:
    """A session's term weights from their column value (none for other documents)."""
    return json.loads(zlib.decompress(value)) if value else {}
