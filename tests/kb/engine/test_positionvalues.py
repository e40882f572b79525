"""Values of postings with positions made many at once are pickle's bytes, as whoosh's."""

import pickle
import random

import numpy as np
import pytest

from kb.engine.positionvalues import encode, gaps_of


@pytest.mark.parametrize("seed", range(30))
def test_the_bytes_whoosh_makes(seed):
    rng = random.Random(seed)
    gap = [lambda: rng.randint(0, 255), lambda: rng.randint(256, 65535),
           lambda: rng.randint(65536, 10 ** 6), lambda: -rng.randint(1, 5)]  # a key given back
    if seed % 10 == 0:
        gap.append(lambda: 1 << 33)  # past a 4-byte int
    # counts around pickle's batches of 1000, and none at all
    lengths = [0, 1, 2, 3, 999, 1000, 1001, 2001]
    lists = [[rng.choice(gap)() for _ in range(
        rng.choice(lengths) if rng.random() < 0.1 else rng.randint(1, 5))]
        for _ in range(rng.randint(0, 30))]
    held, starts, ends = encode(np.array([len(g) for g in lists], np.int64),
                                np.array([p for g in lists for p in g], np.int64))
    assert [held[a:b] for a, b in zip(starts.tolist(), ends.tolist())] == \
        [len(g).to_bytes(4, "big") + pickle.dumps(g, 2) for g in lists]


def test_gaps_from_positions():
    positions = [[0, 4, 9], [7], [], [3, 2]]
    found = gaps_of(np.array([len(p) for p in positions]),
                    np.array([p for ps in positions for p in ps], np.int64))
    assert found.tolist() == [0, 4, 5, 7, 3, -1]
