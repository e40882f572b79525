"""Writing a segment's postings as flat arrays beside whoosh's files (see :mod:`kb.engine.sidecar`,
which reads them and describes the file)."""

from __future__ import annotations

import json
import math
from array import array
from itertools import chain
from typing import Any

import numpy as np

from kb.engine.packing import decode_gaps, pack_terms
from kb.engine.sidecar import (ALIGN, FLOAT, MAGIC, ONES, _UINT, _WIDTHS,
                               _kind, _position_kind, _width, position_gaps, sidecar_name)


class _FieldArrays:
    """One field's terms and packed postings, in term order."""

    def __init__(self) -> None:
        self.terms: list[bytes] = []
        self.counts: list[int] = []
        self.kinds: list[int] = []
        self.sizes: list[int] = []  # of each term's packed postings
        self.chunks: list[bytes] = []  # the packed postings of a term or of many
        self.position_kinds: list[int] = []
        self.position_sizes: list[int] = []
        self.position_chunks: list[bytes] = []
        self.gaps = Gaps()

    def add(self, term: bytes, docs: list, weights: list, values: list | None = None) -> None:
        if len(docs) <= SMALL_TERM:
            kind, chunk, positions = _pack_small(docs, weights, values, self.gaps)
        else:
            kind, chunk, positions = _pack(docs, weights, values, self.gaps)
        self.terms.append(term)
        self.counts.append(len(docs))
        self.kinds.append(kind)
        self.sizes.append(len(chunk))
        self.chunks.append(chunk)
        if positions is not None:
            self.position_kinds.append(positions[0])
            self.position_sizes.append(len(positions[1]))
            self.position_chunks.append(positions[1])

    def add_many(self, terms: list[bytes], bounds: np.ndarray, docs: np.ndarray,
                 weights: np.ndarray, values: list | None = None,
                 raw: tuple[bytes, np.ndarray, np.ndarray] | None = None) -> None:
        counts = gaps = None
        if values is not None:
            decoded = decode_gaps(*raw) if raw is not None else None
            if decoded is None:
                held = self.gaps.of(values)
                decoded = (np.fromiter(map(len, held), np.int64, len(held)),
                           np.fromiter(chain.from_iterable(held), np.int64,
                                       sum(map(len, held))))
            counts, gaps = decoded
        packed = pack_terms(bounds, docs, weights, counts, gaps)
        self.terms += terms
        self.counts += np.diff(bounds).tolist()
        self.kinds += packed.kinds.tolist()
        self.sizes += packed.sizes.tolist()
        self.chunks.append(packed.data)
        if packed.position_kinds is not None and packed.position_sizes is not None:
            self.position_kinds += packed.position_kinds.tolist()
            self.position_sizes += packed.position_sizes.tolist()
            self.position_chunks.append(packed.positions)

    def arrays(self) -> dict[str, bytes]:
        found = {
            "terms": b"".join(self.terms),
            "term_ends": np.cumsum([len(t) for t in self.terms], dtype=np.uint64)
            .astype(np.uint32).tobytes(),
            "starts": _starts(self.sizes),
            "counts": np.array(self.counts, np.uint32).tobytes(),
            "kinds": np.array(self.kinds, np.uint8).tobytes(),
            "data": b"".join(self.chunks),
        }
        if self.position_kinds and len(self.position_kinds) == len(self.terms):
            found.update({
                "pos_kinds": np.array(self.position_kinds, np.uint8).tobytes(),
                "pos_starts": _starts(self.position_sizes),
                "positions": b"".join(self.position_chunks),
            })
        return found


# Most terms of a segment have a posting or two: below this many, a term is
# packed with the array module, where numpy's calls cost more than the work.
SMALL_TERM = 32
# array typecodes of the unsigned widths (the same bytes as numpy's, in this
# machine's order, as numpy writes them)
_ARRAY_CODE = {1: "B", 2: "H", 4: "I" if array("I").itemsize == 4 else "L"}


class Gaps:
    """Position gaps decoded from whoosh's values, the values of one position remembered:
    they recur in every term (a word once at position 12), and a segment has millions."""

    def __init__(self) -> None:
        self._one: dict[bytes, list[int]] = {}

    def of(self, values: list) -> list[list[int]]:
        """The gaps of each posting's value."""
        one = self._one
        found = []
        for value in values:
            gaps = one.get(value)
            if gaps is None:
                gaps = position_gaps(value)
                if len(gaps) == 1:
                    one[value] = gaps
            found.append(gaps)
        return found


def _pack(docs: list, weights: list, values: list | None,
          gaps: Gaps) -> tuple[int, bytes, tuple[int, bytes] | None]:
    """(kind, packed documents and weights, (position kind, packed positions) or None)
    of a term's postings."""
    deltas = np.diff(np.array(docs, dtype=np.int64), prepend=0)
    doc_width = _width(int(deltas.max()))
    parts = [deltas.astype(_UINT[_WIDTHS[doc_width]]).tobytes()]
    found = np.array(weights, dtype=np.float64)
    if (found == 1).all():
        weight_kind = ONES
    elif (found == np.floor(found)).all() and (found >= 0).all() and found.max() < 1 << 32:
        weight_kind = _width(int(found.max()))
        parts.append(found.astype(_UINT[_WIDTHS[weight_kind]]).tobytes())
    else:  # whoosh keeps weights as float32: so does this
        weight_kind = FLOAT
        parts.append(found.astype(np.float32).tobytes())
    kind = _kind(doc_width, weight_kind)
    if values is None:
        return kind, b"".join(parts), None
    held = gaps.of(values)
    counts = np.fromiter(map(len, held), np.int64, len(held))
    flat = np.fromiter(chain.from_iterable(held), np.int64, int(counts.sum()))
    position_parts = []
    count_width = 0
    if not np.array_equal(counts, found):  # a boosted field weighs more than counts
        count_width = _width(int(counts.max()))
        position_parts.append(counts.astype(_UINT[_WIDTHS[count_width]]).tobytes())
    gap_width = _width(int(flat.max()) if len(flat) else 0)
    position_parts.append(flat.astype(_UINT[_WIDTHS[gap_width]]).tobytes())
    return kind, b"".join(parts), (_position_kind(count_width, gap_width),
                                   b"".join(position_parts))


def _pack_small(docs: list, weights: list, values: list | None,
                gaps: Gaps) -> tuple[int, bytes, tuple[int, bytes] | None]:
    """What :func:`_pack` gives, for a few postings, without numpy (the same bytes)."""
    deltas = [docs[0], *(b - a for a, b in zip(docs, docs[1:]))]
    if min(deltas) < 0:  # numpy's casts wrap what is negative: its bytes, then
        return _pack(docs, weights, values, gaps)
    doc_width = _width(max(deltas))
    parts = [array(_ARRAY_CODE[_WIDTHS[doc_width]], deltas).tobytes()]
    if all(w == 1 for w in weights):
        weight_kind = ONES
    elif all(w >= 0 and w == math.floor(w) for w in weights) and max(weights) < 1 << 32:
        weight_kind = _width(int(max(weights)))
        parts.append(array(_ARRAY_CODE[_WIDTHS[weight_kind]], map(int, weights)).tobytes())
    else:
        weight_kind = FLOAT
        parts.append(array("f", weights).tobytes())
    kind = _kind(doc_width, weight_kind)
    if values is None:
        return kind, b"".join(parts), None
    held = gaps.of(values)
    counts = [len(g) for g in held]
    flat = list(chain.from_iterable(held))
    if flat and min(flat) < 0:  # a term given back at an earlier position (a name's key)
        return _pack(docs, weights, values, gaps)
    position_parts = []
    count_width = 0
    if counts != weights:  # a boosted field weighs more than counts
        count_width = _width(max(counts))
        position_parts.append(array(_ARRAY_CODE[_WIDTHS[count_width]], counts).tobytes())
    gap_width = _width(max(flat, default=0))
    position_parts.append(array(_ARRAY_CODE[_WIDTHS[gap_width]], flat).tobytes())
    return kind, b"".join(parts), (_position_kind(count_width, gap_width),
                                   b"".join(position_parts))


def _starts(sizes: list[int]) -> bytes:
    """Where each of chunks of ``sizes`` starts when they are laid end to end, as uint32."""
    starts = np.zeros(len(sizes), np.uint64)
    if sizes:
        np.cumsum(sizes[:-1], out=starts[1:])
    if len(starts) and starts[-1] + sizes[-1] >= 1 << 32:
        raise ValueError("a segment's postings of one field past 4 GB")
    return starts.astype(np.uint32).tobytes()


class SidecarWriter:
    """Collects a segment's postings term by term, in whoosh's order, and writes them."""

    def __init__(self) -> None:
        self._fields: dict[str, _FieldArrays] = {}

    def start_field(self, fieldname: str) -> None:
        """Start a field: its terms follow, in order."""
        self._field = self._fields[fieldname] = _FieldArrays()

    def add_term(self, term: bytes, docs: list, weights: list, values: list | None = None) -> None:
        """Add a term's postings: document numbers ascending, their weights, and for a field
        with positions whoosh's values of them."""
        self._field.add(term, docs, weights, values)

    def add_terms(self, terms: list[bytes], bounds: np.ndarray, docs: np.ndarray,
                  weights: np.ndarray, values: list | None = None,
                  raw: tuple[bytes, np.ndarray, np.ndarray] | None = None) -> None:
        """Add many terms' postings at once: term i's are ``bounds[i]`` to ``bounds[i + 1]``
        (from 0) of ``docs`` (ascending within a term), ``weights`` and ``values``; ``raw``,
        when given, says where the values are in one bytes object, read all together."""
        self._field.add_many(terms, bounds, docs, weights, values, raw)

    def to_bytes(self) -> bytes:
        """The whole file."""
        body, header_fields = bytearray(), {}
        for fieldname, field in self._fields.items():
            where: dict[str, Any] = {"count": len(field.terms)}
            for name, blob in field.arrays().items():
                body += b"\0" * (-len(body) % ALIGN)
                where[name] = [len(body), len(blob)]
                body += blob
            header_fields[fieldname] = where
        # the header's offsets count from the body's start; the body starts aligned
        header = json.dumps({"fields": header_fields}).encode("utf-8")
        header += b" " * (-(len(MAGIC) + 8 + len(header)) % ALIGN)
        start = len(MAGIC) + 8 + len(header)
        return MAGIC + len(header).to_bytes(8, "little") + header + bytes(body) \
            + (start + len(body)).to_bytes(8, "little")

    def write(self, storage: Any, segment: Any) -> None:
        """Write the file of ``segment`` into whoosh's ``storage``."""
        data = self.to_bytes()
        out = storage.create_file(sidecar_name(segment))
        try:
            out.write(data)
        finally:
            out.close()
