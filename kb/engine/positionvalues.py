"""Whoosh's values of postings with positions, made for many postings at once with numpy.

Whoosh's Positions format keeps a posting's positions as its value: their
count (4 bytes, big-endian), then the gaps between them pickled (protocol 2:
a list, then one int and APPEND, or MARK, the ints and APPENDS, 1000 at a
time). Made a posting at a time, that is a Python list and a pickle per
posting; here the pool keeps positions as flat arrays and the values of a
field's postings are laid out by a few array operations when the segment is
written. The bytes are ``pickle.dumps``'s (the tests compare them).
"""

from __future__ import annotations

from pickle import dumps

import numpy as np

# pickle's header and opcodes in those values; an int is BININT1, BININT2 or BININT
_HEADER = np.frombuffer(b"\x80\x02]q\x00", np.uint8)
_ONE, _TWO, _FOUR = ord("K"), ord("M"), ord("J")
_MARK, _APPEND, _APPENDS, _STOP = ord("("), ord("a"), ord("e"), ord(".")
_BATCH = 1000  # pickle's appends per MARK


def gaps_of(counts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The gaps of postings with ``counts`` positions each, ``positions`` end to end: each
    posting's first from 0, then each from the one before."""
    gaps = np.diff(positions.astype(np.int64), prepend=0)
    firsts = np.cumsum(counts) - counts
    present = counts > 0
    gaps[firsts[present]] = positions[firsts[present]]
    return gaps


def encode(counts: np.ndarray, gaps: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
    """(bytes, starts, ends) of whoosh's values of postings with ``counts`` gaps each,
    ``gaps`` end to end (int64): posting i's value is ``bytes[starts[i]:ends[i]]``."""
    counts = counts.astype(np.int64)
    n, total = len(counts), len(gaps)
    wide = (gaps < -(1 << 31)) | (gaps >= 1 << 31)
    if wide.any():  # past a 4-byte int pickle writes a long: left to pickle itself
        return _pickled(counts, gaps)
    item_sizes = np.where((gaps >= 0) & (gaps < 1 << 8), 2,
                          np.where((gaps >= 0) & (gaps < 1 << 16), 3, 5))
    multi = counts > 1
    breaks = np.where(multi, (counts - 1) // _BATCH, 0)  # "e(" between batches
    item_totals = np.zeros(n, np.int64)
    posting_of = np.repeat(np.arange(n), counts)
    np.add.at(item_totals, posting_of, item_sizes)
    closing = np.where(counts == 0, 1, 2)
    sizes = 4 + len(_HEADER) + multi + item_totals + 2 * breaks + closing
    starts = np.zeros(n, np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    ends = starts + sizes
    out = np.zeros(int(sizes.sum()), np.uint8)
    # the count, big-endian, then the header, then MARK where there are several
    out[(starts[:, None] + np.arange(4)).ravel()] = \
        counts.astype(">u4").view(np.uint8)
    out[(starts[:, None] + 4 + np.arange(len(_HEADER))).ravel()] = np.tile(_HEADER, n)
    out[starts[multi] + 4 + len(_HEADER)] = _MARK
    # each item: where it starts within its posting's items, plus the batch breaks before it
    firsts = np.cumsum(counts) - counts
    within = np.arange(total) - firsts[posting_of]
    before = np.cumsum(item_sizes) - item_sizes
    item_at = starts[posting_of] + 4 + len(_HEADER) + multi[posting_of] \
        + before - before[firsts[posting_of]] if total else np.zeros(0, np.int64)
    if total:
        item_at = item_at + 2 * (within // _BATCH)
        out[item_at] = np.where(item_sizes == 2, _ONE, np.where(item_sizes == 3, _TWO, _FOUR))
        raw = gaps.astype("<i4").view(np.uint8).reshape(-1, 4)
        for width in (1, 2, 4):
            chosen = np.flatnonzero(item_sizes == width + 1)
            if len(chosen):
                out[(item_at[chosen, None] + 1 + np.arange(width)).ravel()] = \
                    raw[chosen, :width].ravel()
        cut = np.flatnonzero((within > 0) & (within % _BATCH == 0))
        out[item_at[cut] - 2] = _APPENDS
        out[item_at[cut] - 1] = _MARK
    out[ends - 1] = _STOP
    closed = counts > 0
    out[ends[closed] - 2] = np.where(multi[closed], _APPENDS, _APPEND)
    return out.tobytes(), starts, ends


def _pickled(counts: np.ndarray, gaps: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
    """What :func:`encode` gives, a posting at a time with pickle."""
    values = []
    at = 0
    for count in counts.tolist():
        values.append(count.to_bytes(4, "big") + dumps(gaps[at:at + count].tolist(), 2))
        at += count
    sizes = np.fromiter(map(len, values), np.int64, len(values))
    starts = np.zeros(len(values), np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    return b"".join(values), starts, starts + sizes
