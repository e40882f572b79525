"""Terms packed many at a time are the bytes the sidecar packs a term at a time."""

import pickle
import random

import numpy as np
import pytest

from kb.engine import sidecar_writer as sidecar
from kb.engine.packing import STEPS, decode_gaps, pack_terms


def value(gaps):
    """whoosh's value of a posting with positions: a 4-byte count, then the gaps pickled."""
    return len(gaps).to_bytes(4, "big") + pickle.dumps(gaps, 2)


def random_terms(rng):
    """Terms of every kind of weights, document gaps and position gaps."""
    terms = []
    for _ in range(rng.randint(1, 40)):
        n = rng.choice([1, 1, 1, 2, 3, 5, 40, 200])
        docs = sorted(rng.sample(range(rng.choice([300, 70000, 10 ** 6])), n))
        kind = rng.choice(["ones", "small", "wide", "float"])
        weights = {"ones": lambda: 1.0, "small": lambda: float(rng.randint(0, 300)),
                   "wide": lambda: float(rng.randint(0, 70000)),
                   "float": lambda: rng.random() * 3}[kind]
        gaps = [[rng.choice([rng.randint(0, 300), rng.randint(0, 5), rng.randint(0, 70000),
                             -2 if rng.random() < 0.05 else 1])  # a key given back earlier
                 for _ in range(rng.randint(1, 4))] for _ in range(n)]
        found = [weights() for _ in range(n)]
        if rng.random() < 0.5 and kind != "float":
            found = [float(len(g)) for g in gaps]  # counts are the weights
        terms.append((docs, found, [value(g) for g in gaps], gaps))
    return terms


@pytest.mark.parametrize("seed", range(40))
def test_the_bytes_of_a_term_at_a_time(seed):
    terms = random_terms(random.Random(seed))
    expected = [(sidecar._pack_small if len(docs) <= sidecar.SMALL_TERM else sidecar._pack)(
        docs, weights, values, sidecar.Gaps()) for docs, weights, values, _ in terms]
    packed = pack_terms(np.cumsum([0] + [len(t[0]) for t in terms]),
                        np.array([d for t in terms for d in t[0]]),
                        np.array([w for t in terms for w in t[1]], np.float64),
                        np.array([len(g) for t in terms for g in t[3]], np.int64),
                        np.array([p for t in terms for g in t[3] for p in g], np.int64))
    assert packed.kinds.tolist() == [kind for kind, _, _ in expected]
    assert packed.data == b"".join(chunk for _, chunk, _ in expected)
    assert packed.sizes.tolist() == [len(chunk) for _, chunk, _ in expected]
    assert packed.position_kinds.tolist() == [positions[0] for _, _, positions in expected]
    assert packed.positions == b"".join(positions[1] for _, _, positions in expected)
    without = pack_terms(np.array([0, len(terms[0][0])]), np.array(terms[0][0]),
                         np.array(terms[0][1], np.float64))
    assert without.data == expected[0][1] and without.position_kinds is None


@pytest.mark.parametrize("seed", range(20))
def test_position_values_read_all_together(seed):
    rng = random.Random(seed)
    lengths = [1, 1, 2, 3, STEPS, STEPS + 1, 999, 1000, 1001, 2500]
    gaps = [[rng.choice([rng.randint(0, 255), rng.randint(256, 65535),
                         rng.randint(65536, 10 ** 6), -rng.randint(1, 5)])
             for _ in range(rng.choice(lengths) if rng.random() < 0.2 else rng.randint(1, 5))]
            for _ in range(rng.randint(1, 30))]
    values = [value(g) for g in gaps]
    held = b"xx" + b"".join(values)
    at = np.cumsum([2] + [len(v) for v in values])[:-1]
    order = list(range(len(values)))
    rng.shuffle(order)  # sorted postings are read out of the order they were added in
    starts = np.array([at[i] for i in order])
    counts, flat = decode_gaps(held, starts, starts + np.array([len(values[i]) for i in order]))
    assert counts.tolist() == [len(gaps[i]) for i in order]
    assert flat.tolist() == [p for i in order for p in gaps[i]]


def test_what_is_no_position_value_is_left_to_unpickling():
    other = b"\0\0\0\1" + pickle.dumps([1], 3)
    assert decode_gaps(other, np.array([0]), np.array([len(other)])) is None
    huge = value([1 << 40])
    assert decode_gaps(huge, np.array([0]), np.array([len(huge)])) is None
