"""Many terms' postings packed into a sidecar's arrays at once (see :mod:`kb.engine.sidecar`).

Packing a term at a time (``sidecar._pack``) costs a dozen numpy or array
calls per term, and most terms of a segment have a posting or two. Here the
terms of a run of postings are packed together: each term's widths from
reductions over all of them, then every posting's bytes put in place by one
scatter per width. The bytes are those ``_pack`` makes term by term (the
tests compare them).
"""

from __future__ import annotations

from pickle import loads
from typing import NamedTuple

import numpy as np

from kb.engine.positionvalues import (_APPEND, _APPENDS, _BATCH, _FOUR, _HEADER, _MARK, _ONE,
                                      _STOP, _TWO)
from kb.engine.sidecar import _UINT, _WIDTHS, COUNTS_ARE_WEIGHTS, FLOAT, ONES

_BYTES = np.array(_WIDTHS, np.int64)  # by width code


class Packed(NamedTuple):
    """Terms packed: each one's kind and bytes in ``data`` (laid end to end); with
    positions, each one's position kind and bytes in ``positions``."""

    kinds: np.ndarray  # uint8
    sizes: np.ndarray  # int64
    data: bytes
    position_kinds: np.ndarray | None
    position_sizes: np.ndarray | None
    positions: bytes


def width_codes(tops: np.ndarray) -> np.ndarray:
    """The width code (1, 2 or 3: 1, 2 or 4 bytes) of the narrowest unsigned integer
    holding each of ``tops`` (as sidecar._width)."""
    return np.where(tops < 1 << 8, 1, np.where(tops < 1 << 16, 2, 3)).astype(np.int64)


def pack_terms(bounds: np.ndarray, docs: np.ndarray, weights: np.ndarray,
               counts: np.ndarray | None = None, gaps: np.ndarray | None = None) -> Packed:
    """Pack terms whose postings are ``bounds[i]`` to ``bounds[i + 1]`` (from 0) of
    ``docs`` (ascending within a term) and ``weights``; with positions, ``counts`` of
    each posting's gaps, and the ``gaps`` of all end to end."""
    firsts = bounds[:-1]
    lengths = np.diff(bounds)
    term_of = np.repeat(np.arange(len(lengths)), lengths)
    within = np.arange(len(docs)) - bounds[term_of]
    docs = docs.astype(np.int64)
    deltas = np.diff(docs, prepend=0)
    deltas[firsts] = docs[firsts]
    doc_codes = width_codes(np.maximum.reduceat(deltas, firsts))
    ones = (np.minimum.reduceat(weights, firsts) == 1) & (np.maximum.reduceat(weights, firsts) == 1)
    whole = ((weights >= 0) & (weights == np.floor(weights))).astype(np.int8)
    top = np.maximum.reduceat(weights, firsts)
    integral = (np.minimum.reduceat(whole, firsts) == 1) & (top < 1 << 32)
    weight_kinds = np.where(ones, ONES, np.where(
        integral, width_codes(np.where(integral, top, 0).astype(np.int64)), FLOAT))
    kinds = (doc_codes | weight_kinds << 2).astype(np.uint8)
    doc_bytes = _BYTES[doc_codes]
    weight_bytes = np.where(weight_kinds == FLOAT, 4, _BYTES[np.minimum(weight_kinds, 3)])
    sizes = lengths * (doc_bytes + weight_bytes)
    starts = np.zeros(len(lengths), np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    out = np.zeros(int(sizes.sum()), np.uint8)
    doc_at = starts[term_of] + within * doc_bytes[term_of]
    _scatter(out, doc_at, deltas, doc_codes[term_of])
    weight_at = starts[term_of] + lengths[term_of] * doc_bytes[term_of] + \
        within * weight_bytes[term_of]
    posting_kinds = weight_kinds[term_of]
    _scatter(out, weight_at, weights, np.where(posting_kinds == FLOAT, 0, posting_kinds))
    floats = np.flatnonzero(posting_kinds == FLOAT)
    if len(floats):
        _place(out, weight_at[floats], weights[floats].astype(np.float32).view(np.uint8), 4)
    if counts is None or gaps is None:
        return Packed(kinds, sizes, out.tobytes(), None, None, b"")
    return Packed(kinds, sizes, out.tobytes(),
                  *_pack_positions(bounds, term_of, within, weights, counts, gaps))


def _pack_positions(bounds: np.ndarray, term_of: np.ndarray, within: np.ndarray,
                    weights: np.ndarray, counts: np.ndarray,
                    gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray, bytes]:
    """(position kinds, sizes, bytes) of the terms' positions."""
    firsts = bounds[:-1]
    lengths = np.diff(bounds)
    differs = (counts != weights).astype(np.int8)  # a boosted field weighs more than counts
    keep_counts = np.maximum.reduceat(differs, firsts) == 1
    count_codes = np.where(keep_counts, width_codes(np.maximum.reduceat(counts, firsts)), 0)
    gap_totals = np.add.reduceat(counts, firsts)
    gap_firsts = np.zeros(len(lengths), np.int64)
    np.cumsum(gap_totals[:-1], out=gap_firsts[1:])
    gap_term = np.repeat(term_of, counts)
    # the greatest gap of each term, or 0 (all that is at most 0 is one byte wide)
    gap_tops = np.zeros(len(lengths), np.int64)
    np.maximum.at(gap_tops, gap_term, gaps)
    gap_codes = width_codes(gap_tops)
    kinds = ((np.where(count_codes > 0, count_codes, COUNTS_ARE_WEIGHTS)) | gap_codes << 2) \
        .astype(np.uint8)
    count_bytes, gap_bytes = _BYTES[count_codes], _BYTES[gap_codes]
    sizes = lengths * count_bytes + gap_totals * gap_bytes
    starts = np.zeros(len(lengths), np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    out = np.zeros(int(sizes.sum()), np.uint8)
    _scatter(out, starts[term_of] + within * count_bytes[term_of], counts,
             count_codes[term_of])
    gap_within = np.arange(len(gaps)) - gap_firsts[gap_term]
    _scatter(out, starts[gap_term] + lengths[gap_term] * count_bytes[gap_term]
             + gap_within * gap_bytes[gap_term], gaps, gap_codes[gap_term])
    return kinds, sizes, out.tobytes()


def _scatter(out: np.ndarray, at: np.ndarray, values: np.ndarray, codes: np.ndarray) -> None:
    """Put each of ``values`` at ``at`` in ``out`` as an unsigned integer of its width code
    (0: not at all), wrapping what is negative as numpy's casts do."""
    for code in (1, 2, 3):
        chosen = np.flatnonzero(codes == code)
        if len(chosen):
            width = int(_BYTES[code])
            cast = values[chosen].astype(np.int64).astype(_UINT[width])
            _place(out, at[chosen], cast.view(np.uint8), width)


def _place(out: np.ndarray, at: np.ndarray, raw: np.ndarray, width: int) -> None:
    """Put ``width`` bytes of ``raw`` at each of ``at``."""
    out[(at[:, None] + np.arange(width)).ravel()] = raw


# (whoosh's values of postings with positions: see kb.engine.positionvalues)
# postings with more positions than this are unpickled one by one: each position
# more is another pass over those still being read
STEPS = 64


def decode_gaps(held: bytes, starts: np.ndarray,
                ends: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(count of gaps of each posting, all gaps end to end) of whoosh's position values
    ``held[starts[i]:ends[i]]``, read all together; None when one does not read as such a
    value (to be unpickled instead)."""
    buf = np.frombuffer(held, np.uint8)
    n = len(starts)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if (ends - starts < 4 + len(_HEADER) + 4).any() or ends.max() > len(buf):
        return None
    head = buf[starts[:, None] + np.arange(4)].astype(np.int64)
    counts = head[:, 0] << 24 | head[:, 1] << 16 | head[:, 2] << 8 | head[:, 3]
    if not (buf[starts[:, None] + 4 + np.arange(len(_HEADER))] == _HEADER).all():
        return None
    multi = counts > 1
    if (buf[starts[multi] + 9] != _MARK).any():
        return None
    firsts = np.zeros(n, np.int64)
    np.cumsum(counts[:-1], out=firsts[1:])
    gaps = np.zeros(int(counts.sum()), np.int64)
    at = starts + 9 + multi
    last = len(buf) - 1
    reading = np.flatnonzero((counts > 0) & (counts <= STEPS))
    step = 0
    while len(reading):
        where = at[reading]
        op = buf[where]
        b = [buf[np.minimum(where + i, last)].astype(np.int64) for i in range(1, 5)]
        four = b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
        four = np.where(four >= 1 << 31, four - (1 << 32), four)  # BININT is signed
        gaps[firsts[reading] + step] = np.where(op == _ONE, b[0], np.where(
            op == _TWO, b[0] | b[1] << 8, four))
        if not ((op == _ONE) | (op == _TWO) | (op == _FOUR)).all():
            return None
        at[reading] = where + np.where(op == _ONE, 2, np.where(op == _TWO, 3, 5))
        step += 1
        if step % _BATCH == 0:
            at[reading] += 2  # APPENDS, MARK
        reading = reading[counts[reading] > step]
    done = (counts > 0) & (counts <= STEPS)
    closing = np.where(multi, _APPENDS, _APPEND)
    tail = np.minimum(at, last)
    if not ((buf[tail] == closing) & (buf[np.minimum(tail + 1, last)] == _STOP)
            & (at + 2 == ends))[done].all():
        return None
    for i in np.flatnonzero(counts > STEPS).tolist():
        found = loads(held[int(starts[i]) + 4:int(ends[i])])
        if len(found) != counts[i]:
            return None
        gaps[firsts[i]:firsts[i] + counts[i]] = found
    return counts, gaps
