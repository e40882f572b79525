"""Ranking matches: the parts of a query joined, and the best of them picked.

A match is a pair of arrays, document numbers ascending and their scores
(see :meth:`kb.engine.Reader.matches`).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from kb.bits import in_mask

Matches = tuple[np.ndarray, np.ndarray]
# a union at least this many times sparser than the index sorts its documents; a denser one
# counts them in an array as long as the index (about equal at 1 in 100, 10k or 100k)
DENSE_SHARE = 128


def union(parts: Sequence[Matches]) -> Matches:
    """Documents matching any part, their scores summed."""
    docs, scores, _ = _union(parts, counted=False)
    return docs, scores


def union_counted(parts: Sequence[Matches]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Documents matching any part, their scores summed, and how many parts each matches."""
    return _union(parts, counted=True)


def _union(parts: Sequence[Matches], counted: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Each document's scores are summed in the order of the parts, whichever way
    # the documents are found: the same sums to the last bit. Counts only when
    # ``counted`` (else none).
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    top = int(docs.max()) + 1 if len(docs) else 0
    if len(docs) * DENSE_SHARE <= top:  # a few documents of many: sort them
        if counted:
            found, inverse, counts = np.unique(docs, return_inverse=True, return_counts=True)
        else:
            (found, inverse), counts = np.unique(docs, return_inverse=True), docs[:0]
        # bincount of nothing gives ints: scores stay floats
        summed = np.bincount(inverse, weights=scores, minlength=len(found)).astype(np.float64)
        return found, summed, counts
    # a word's postings in six fields and its other spellings hold thousands of
    # documents: counted in an array as long as the index, where sorting them
    # all was a fifth of a new query's matching
    totals = np.bincount(docs, weights=scores, minlength=top)  # floats: weights are
    if counted:
        every = np.bincount(docs, minlength=top)
        found = np.flatnonzero(every)
        return found, totals[found], every[found]
    held = np.zeros(top, dtype=bool)
    held[docs] = True
    found = np.flatnonzero(held)
    return found, totals[found], docs[:0]


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
        mine, theirs = common(docs, other_docs)
        docs, scores = docs[mine], scores[mine] + other_scores[theirs]
    return docs, scores


def common(docs: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the documents both hold are in ``docs`` and in ``others`` (both ascending,
    without repeats): np.intersect1d's indices, looked up from the shorter side (a
    rare word's few hundred documents in a common word's thousands) without sorting
    both together."""
    if len(others) < len(docs):
        theirs, mine = common(others, docs)
        return mine, theirs
    if not len(docs):
        nothing = np.empty(0, dtype=np.intp)
        return nothing, nothing
    where = np.searchsorted(others, docs)
    where[where == len(others)] = 0
    mine = np.flatnonzero(others[where] == docs)
    return mine, where[mine]


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
