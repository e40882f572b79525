"""Matches joined: the same documents and the same sums, to the last bit, however they are found."""

import numpy as np
import pytest

from kb.ranking import common, intersection, union, union_counted


def parts_of(rng, count, size, top):
    found = []
    for _ in range(count):
        docs = np.unique(rng.integers(0, top, size))
        found.append((docs, rng.random(len(docs)) * 10))
    return found


def summed_in_order(parts):
    """Each document's scores added one by one in the order of the parts, and its count."""
    sums, counts = {}, {}
    for docs, scores in parts:
        for doc, score in zip(docs.tolist(), scores.tolist()):
            sums[doc] = sums.get(doc, 0.0) + score
            counts[doc] = counts.get(doc, 0) + 1
    return sorted(sums), sums, counts


@pytest.mark.parametrize("size, top", [(400, 1000), (3, 1_000_000), (50, 6400), (0, 10)],
                         ids=["dense", "sparse", "between", "empty"])
def test_union_sums_scores_in_the_order_of_the_parts(size, top):
    rng = np.random.default_rng(size)
    for count in (1, 2, 7):
        parts = parts_of(rng, count, size, top)
        docs, sums, counts = summed_in_order(parts)
        found, scores = union(parts)
        assert found.tolist() == docs and scores.dtype == np.float64
        assert scores.tolist() == [sums[d] for d in docs]  # exactly: ties rank by tiebreak
        found, scores, counted = union_counted(parts)
        assert found.tolist() == docs and counted.tolist() == [counts[d] for d in docs]
        assert scores.tolist() == [sums[d] for d in docs]


def test_common_gives_intersect1d_indexes_either_way_round():
    rng = np.random.default_rng(7)
    for _ in range(300):
        a, b = (np.unique(rng.integers(0, rng.integers(1, 200), rng.integers(0, 60)))
                for _ in range(2))
        _, mine, theirs = np.intersect1d(a, b, assume_unique=True, return_indices=True)
        found = common(a, b)
        assert found[0].tolist() == mine.tolist() and found[1].tolist() == theirs.tolist()


def test_intersection_sums_scores_of_documents_in_every_part():
    parts = [(np.array([1, 4, 9, 12]), np.array([1.0, 2.0, 3.0, 4.0])),
             (np.array([0, 4, 12]), np.array([0.5, 0.25, 0.125])),
             (np.array([4, 5, 12, 40]), np.array([8.0, 9.0, 10.0, 11.0]))]
    docs, scores = intersection(parts)
    assert docs.tolist() == [4, 12] and scores.tolist() == [0.25 + 2.0 + 8.0, 0.125 + 4.0 + 10.0]
    assert intersection([parts[0], (np.empty(0, np.int64), np.empty(0))])[0].tolist() == []
