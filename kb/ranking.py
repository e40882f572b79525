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
    # bincount of nothing gives ints: scores stay floats
    return found, np.bincount(inverse, weights=scores, minlength=len(found)).astype(np.float64)


def union_counted(parts: Sequence[Matches]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Documents matching any part, their scores summed, and how many parts each matches."""
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    found, inverse, counts = np.unique(docs, return_inverse=True, return_counts=True)
    summed = np.bincount(inverse, weights=scores, minlength=len(found)).astype(np.float64)
    return found, summed, counts


def restrict(docs: np.ndarray, scores: np.ndarray, within: Sequence[Matches],
             without: Sequence[Matches]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Matches that are in every one of ``within`` and in none of ``without``.

    Returns the documents, their scores (plus the scores of ``within``), and
    which of the given documents were kept.
    """
    keep = np.ones(len(docs), dtype=bool)
    scores = scores.copy()
    for other_docs, other_scores in within:
        where = np.searchsorted(other_docs, docs)
        where[where >= len(other_docs)] = 0
        hit = (other_docs[where] == docs) if len(other_docs) else np.zeros(len(docs), bool)
        keep &= hit
        scores[hit] += other_scores[where[hit]]
    for other_docs, _ in without:
        keep &= ~np.isin(docs, other_docs, assume_unique=True)
    return docs[keep], scores[keep], keep


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
            everything: Sequence[int] | np.ndarray) -> Matches:
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
               tiebreak: np.ndarray | None = None,
               rank: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The ``count`` best (docnum, score) within ``mask``, best by ``rank`` (else the score).

    Ties go to the higher ``tiebreak[docnum]``, then the higher number; with
    no tiebreak, to the lower number.
    """
    rank = scores if rank is None else rank
    keep = in_mask(docs, mask)
    docs, scores, rank = docs[keep], scores[keep], rank[keep]
    if len(docs) > 4 * count:  # sort only what can make the page
        floor = np.partition(rank, len(rank) - count)[len(rank) - count]
        keep = rank >= floor
        docs, scores, rank = docs[keep], scores[keep], rank[keep]
    if tiebreak is None:
        order = np.lexsort((docs, -rank))[:count]
    else:
        order = np.lexsort((docs, tiebreak[docs], rank))[::-1][:count]
    return [(int(docs[i]), float(scores[i])) for i in order]
