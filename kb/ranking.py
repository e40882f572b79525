"""Ranking matches: the parts of a query joined, and the best of them picked.

A match is a pair of arrays, document numbers ascending and their scores
(see :meth:`kb.engine.Reader.matches`).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from kb.bits import in_mask

Matches = tuple[np.ndarray, np.ndarray]


def union(parts: Sequence[Matches]) -> Matches:
    """Documents matching any part, their scores summed."""
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    found, inverse = np.unique(docs, return_inverse=True)
    return found, np.bincount(inverse, weights=scores, minlength=len(found))


def intersection(parts: Sequence[Matches]) -> Matches:
    """Documents matching every part, their scores summed."""
    parts = sorted(parts, key=lambda p: len(p[0]))
    docs, scores = parts[0]
    for other_docs, other_scores in parts[1:]:
        docs, mine, theirs = np.intersect1d(docs, other_docs, assume_unique=True,
                                            return_indices=True)
        scores = scores[mine] + other_scores[theirs]
    return docs, scores


def combine(positive: Sequence[Matches], negative: Sequence[Matches],
            everything: Sequence[int]) -> Matches:
    """Matches of all ``positive`` parts and none of the ``negative`` ones, scores summed.

    With no positive part, ``everything`` (document numbers) matches, scored 0.
    """
    if positive:
        docs, scores = intersection(positive) if len(positive) > 1 else positive[0]
    else:
        docs = np.sort(np.asarray(everything, np.int64))
        scores = np.zeros(len(docs))
    for drop, _ in negative:
        keep = ~np.isin(docs, drop, assume_unique=True)
        docs, scores = docs[keep], scores[keep]
    return docs, scores


def top_scored(docs: np.ndarray, scores: np.ndarray, mask: int, count: int,
               tiebreak: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The ``count`` best (docnum, score) within ``mask``.

    Ties go to the higher ``tiebreak[docnum]``, then the higher number; with
    no tiebreak, to the lower number.
    """
    keep = in_mask(docs, mask)
    docs, scores = docs[keep], scores[keep]
    if len(docs) > 4 * count:  # sort only what can make the page
        floor = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= floor
        docs, scores = docs[keep], scores[keep]
    if tiebreak is None:
        order = np.lexsort((docs, -scores))[:count]
    else:
        order = np.lexsort((docs, tiebreak[docs], scores))[::-1][:count]
    return [(int(docs[i]), float(scores[i])) for i in order]
