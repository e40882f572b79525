"""A segment's postings as flat arrays, written beside whoosh's files and read memory-mapped.

Reading a term through whoosh's codec unpickles and decompresses each block
of 128 postings and decodes its ids in Python: most of a new query's time.
When kb writes a segment it holds the postings grouped by term already
(:mod:`kb.engine.pool`), so it also writes them here, one file per segment
(``<segment>.kbp``): a sorted term table and, per term, its document numbers
and weights, each packed in the narrowest integer that holds it. A term's
postings are then two slices of a memory map. A field with positions also
keeps each posting's positions, as the gaps whoosh's own values hold: a
phrase reads those of the documents it asks about as slices too, where
unpickling whoosh's blocks for them was most of a phrase's time.

The file is whoosh's in all but format: it is named after its segment, so
whoosh removes it with the segment after a merge, and kb's sums cover it.
A segment without one (an older index), or whose file does not read as one,
is read through whoosh's codec, as before.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), the header
(JSON: per field its term count and where its arrays start), the arrays of
each field, each 8-byte aligned, and last the file's length before these
8 bytes (a cut file does not read as one):

- ``terms``: the terms' bytes end to end, in byte order;
- ``term_ends``: uint32, where each term ends in ``terms``;
- ``starts``: uint32, where each term's data starts in ``data``;
- ``counts``: uint32, how many postings (documents) each term has;
- ``kinds``: uint8, how each term's arrays are packed (see ``_kind``);
- ``data``: per term, document deltas, then weights (absent where all are 1);
- ``pos_kinds``: uint8, how each term's positions are packed (0: none; see
  ``_position_kind``), ``pos_starts``: uint32, where they start in
  ``positions``: per term, each posting's count of positions (absent where
  the weights are those counts), then the gaps between positions, each
  posting's first from 0.

A file written before positions were kept has none of the last three: its
segment's positions are read from whoosh's blocks.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import weakref
from array import array
from bisect import bisect_left
from itertools import chain
from pickle import loads
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from kb.engine.packing import decode_gaps, pack_terms

MAGIC = b"KBPOSTS1"
EXTENSION = ".kbp"
ALIGN = 8
ARRAYS = ("terms", "term_ends", "starts", "counts", "kinds", "data")
POSITION_ARRAYS = ("pos_kinds", "pos_starts", "positions")
# width codes: 0 absent, then 1, 2 or 4 bytes
_WIDTHS = (0, 1, 2, 4)
_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32}
# a term's weights: all 1, unsigned integers of a width code, or float32
ONES, FLOAT = 0, 4
COUNTS_ARE_WEIGHTS = 16  # in a position kind: no counts kept, the weights are they


def sidecar_name(segment: Any) -> str:
    """The sidecar's file name of a whoosh segment."""
    return segment.make_filename(EXTENSION)


def _width(top: int) -> int:
    """The width code of the narrowest unsigned integer that holds ``top``."""
    return 1 if top < 1 << 8 else 2 if top < 1 << 16 else 3


def _kind(doc_width: int, weights: int) -> int:
    """A term's kind: the width code of its document deltas, then its weights' kind."""
    return doc_width | weights << 2


def _position_kind(count_width: int, gap_width: int) -> int:
    """A term's position kind: the width codes of its counts (0: the weights) and gaps."""
    return (count_width or COUNTS_ARE_WEIGHTS) | gap_width << 2


def position_gaps(value: bytes) -> list[int]:
    """The gaps between a posting's positions, from whoosh's value of it (a 4-byte count,
    then the gaps pickled)."""
    return loads(value[4:])


# -- writing ----------------------------------------------------------------


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


# -- reading ----------------------------------------------------------------


class _Section:
    """Postings or positions: a part of the file read by position, a term at a time.

    A term's postings are read once and kept as arrays; read through the map,
    each read would leave the 64 KB around it mapped (the kernel's fault-around),
    pages a server process would count as its own. From a file descriptor
    they are copied out of the page cache instead. Without one (a sidecar in
    memory) they are sliced from the buffer.
    """

    __slots__ = ("buffer", "fd", "start", "size")

    def __init__(self, buffer: Any, fd: int | None, start: int, size: int) -> None:
        self.buffer, self.fd, self.start, self.size = buffer, fd, start, size

    def __len__(self) -> int:
        return self.size

    def read(self, at: int, length: int) -> np.ndarray:
        """``length`` bytes from ``at`` (uint8, read-only)."""
        if at < 0 or at + length > self.size:
            raise ValueError("a read runs past the end of the file")
        if self.fd is None:
            return np.frombuffer(self.buffer, np.uint8, length, self.start + at)
        raw = os.pread(self.fd, length, self.start + at)
        if len(raw) != length:
            raise ValueError("the file was cut")
        return np.frombuffer(raw, np.uint8)


class _FieldReader:
    """One field's term table, as views of the file's map, and its postings' sections."""

    __slots__ = ("terms", "ends", "starts", "counts", "kinds", "data", "size", "buffer", "at",
                 "pos_kinds", "pos_starts", "positions")

    def __init__(self, buffer: Any, base: int, where: dict, fd: int | None = None) -> None:
        def bounds(name):
            offset, length = where[name]
            if base + offset + length > len(buffer):
                raise ValueError(f"{name} runs past the end of the file")
            return base + offset, length

        def view(name, dtype):
            start, length = bounds(name)
            return np.frombuffer(buffer, dtype, length // np.dtype(dtype).itemsize, start)

        def section(name):
            return _Section(buffer, fd, *bounds(name))

        self.size = int(where["count"])
        self.terms = view("terms", np.uint8)
        # a term is sliced from the map itself: bytes at once, faster than from an array
        self.buffer, self.at = buffer, base + where["terms"][0]
        # memoryviews index faster than arrays, one item at a time
        self.ends = memoryview(view("term_ends", np.uint32)).cast("B").cast("I")
        self.starts = view("starts", np.uint32)
        self.counts = view("counts", np.uint32)
        self.kinds = view("kinds", np.uint8)
        self.data = section("data")
        if not (len(self.ends) == len(self.starts) == len(self.counts) == len(self.kinds)
                == self.size):
            raise ValueError("the term table's arrays differ in length")
        if self.size and self.ends[-1] != len(self.terms):
            raise ValueError("the terms do not end where the table says")
        self.pos_kinds: Any = None
        self.pos_starts: Any = None
        self.positions: Any = None
        if all(name in where for name in POSITION_ARRAYS):
            self.pos_kinds = view("pos_kinds", np.uint8)
            self.pos_starts = view("pos_starts", np.uint32)
            self.positions = section("positions")
            if not len(self.pos_kinds) == len(self.pos_starts) == self.size:
                raise ValueError("the position table's arrays differ in length")

    def term(self, i: int) -> bytes:
        """The bytes of term number ``i``."""
        at = self.at
        return self.buffer[at + (self.ends[i - 1] if i else 0):at + self.ends[i]]

    def find(self, term: bytes) -> int:
        """The number of ``term``, or -1."""
        # bisect written out: most terms a query looks up are in no segment, and
        # a method call per step was most of a lookup
        buffer, at, ends = self.buffer, self.at, self.ends
        lo, hi = 0, self.size
        while lo < hi:
            mid = (lo + hi) // 2
            if buffer[at + (ends[mid - 1] if mid else 0):at + ends[mid]] < term:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self.size and self.term(lo) == term else -1

    def with_prefix(self, prefix: bytes, limit: int) -> list[bytes]:
        """Up to ``limit`` terms that start with ``prefix``, in order."""
        found = []
        for i in range(bisect_left(_Terms(self), prefix), self.size):
            term = self.term(i)
            if not term.startswith(prefix) or len(found) >= limit:
                break
            found.append(term)
        return found


class _Terms:
    """A field's terms as a sequence, for bisect."""

    __slots__ = ("field",)

    def __init__(self, field: _FieldReader) -> None:
        self.field = field

    def __len__(self) -> int:
        return self.field.size

    def __getitem__(self, i: int) -> bytes:
        return self.field.term(i)


class Sidecar:
    """The postings of one segment, read from its sidecar file.

    ``buffer`` is the whole file (its map); ``fd``, when given, a descriptor of
    the file, from which postings and positions are read by position. It is
    closed with the sidecar (or when the sidecar is dropped).
    """

    def __init__(self, buffer: Any, fd: int | None = None) -> None:
        self._buffer = buffer
        self._release: Any = None
        if len(buffer) < len(MAGIC) + 16 or buffer[:len(MAGIC)] != MAGIC:
            raise ValueError("not a postings file")
        if int.from_bytes(buffer[-8:], "little") != len(buffer) - 8:
            raise ValueError("cut or grown")
        length = int.from_bytes(buffer[len(MAGIC):len(MAGIC) + 8], "little")
        base = len(MAGIC) + 8 + length
        header = json.loads(bytes(buffer[len(MAGIC) + 8:base]))
        self._fields = {name: _FieldReader(buffer, base, where, fd)
                        for name, where in header["fields"].items()}
        if fd is not None:  # read as a sidecar: the descriptor is its own now
            self._release = weakref.finalize(self, os.close, fd)

    @classmethod
    def open(cls, path: Path) -> "Sidecar | None":
        """The sidecar at ``path``, or None when there is none or it does not read as one."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            buffer = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # empty (mmap cannot map 0 bytes)
            os.close(fd)
            return None
        try:
            return cls(buffer, fd)
        except (ValueError, KeyError, TypeError, IndexError):
            buffer.close()
            os.close(fd)
            return None

    def close(self) -> None:
        """Let go of the file and its map (arrays handed out are copies, never views of it)."""
        for field in self._fields.values():
            field.ends.release()
        self._fields = {}
        if self._release is not None:
            self._release()
        close = getattr(self._buffer, "close", None)
        try:
            if close is not None:
                close()
        except BufferError:  # a view still held somewhere: the map goes with it
            pass

    def fieldnames(self) -> Iterable[str]:
        """The fields it holds postings of."""
        return self._fields.keys()

    def terms(self, fieldname: str) -> list[bytes]:
        """Every term of a field, in order."""
        field = self._fields.get(fieldname)
        return [] if field is None else [field.term(i) for i in range(field.size)]

    def with_prefix(self, fieldname: str, prefix: bytes, limit: int) -> list[bytes]:
        """Up to ``limit`` terms of a field that start with ``prefix``, in order."""
        field = self._fields.get(fieldname)
        return [] if field is None else field.with_prefix(prefix, limit)

    def find(self, fieldname: str, term: bytes) -> int:
        """A term's number in its field, or -1 when the segment does not hold it."""
        field = self._fields.get(fieldname)
        return -1 if field is None else field.find(term)

    def frequency(self, fieldname: str, number: int) -> int:
        """How many documents of the segment hold term ``number`` (deleted ones too)."""
        return int(self._fields[fieldname].counts[number])

    def has_positions(self, fieldname: str) -> bool:
        """Whether the file keeps the positions of a field's postings."""
        field = self._fields.get(fieldname)
        return field is not None and field.positions is not None

    def positions(self, fieldname: str, number: int,
                  weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Term ``number``'s positions as (where each posting's gaps start, int64, one more
        than postings; the gaps, read-only) for :func:`gather`. ``weights`` are its
        weights, as :meth:`postings` read them."""
        field = self._fields[fieldname]
        kind = int(field.pos_kinds[number])
        at, data, n = int(field.pos_starts[number]), field.positions, len(weights)
        count_width, gap_width = _WIDTHS[kind & 3], _WIDTHS[(kind >> 2) & 3]
        if kind & COUNTS_ARE_WEIGHTS:
            counts = weights.astype(np.int64)
        else:
            counts = data.read(at, n * count_width).view(_UINT[count_width]).astype(np.int64)
            at += n * count_width
        starts = np.zeros(n + 1, np.int64)
        np.cumsum(counts, out=starts[1:])
        if at + int(starts[-1]) * gap_width > len(data):
            raise ValueError(f"the positions of a {fieldname} term run past the end of the file")
        return starts, data.read(at, int(starts[-1]) * gap_width).view(_UINT[gap_width])

    def postings(self, fieldname: str, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Documents (int64, the segment's numbers, deleted ones too) and weights (float64)
        of term ``number``."""
        field = self._fields[fieldname]
        n = int(field.counts[number])
        kind = int(field.kinds[number])
        at = int(field.starts[number])
        data = field.data
        doc_width = _WIDTHS[kind & 3]
        end = at + n * doc_width
        weight_kind = kind >> 2
        weight_width = 4 if weight_kind == FLOAT else _WIDTHS[weight_kind]
        if end + n * weight_width > len(data):
            raise ValueError(f"the postings of a {fieldname} term run past the end of the file")
        raw = data.read(at, end - at + (0 if weight_kind == ONES else n * weight_width))
        docs = np.cumsum(raw[:end - at].view(_UINT[doc_width]), dtype=np.int64)
        if weight_kind == ONES:
            return docs, np.ones(n)
        dtype = np.float32 if weight_kind == FLOAT else _UINT[weight_width]
        return docs, raw[end - at:].view(dtype).astype(np.float64)


def gather(starts: np.ndarray, gaps: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, position) pairs of postings ``wanted`` of a term whose positions are
    ``(starts, gaps)`` (see :meth:`Sidecar.positions`): row i for wanted[i]."""
    chosen = starts[wanted + 1] - starts[wanted]
    rows = np.repeat(np.arange(len(wanted)), chosen)
    firsts = np.cumsum(chosen) - chosen
    # every gap of the wanted postings in order, then summed within each posting:
    # a running sum less the sum before the posting's first gap
    taken = gaps[np.arange(len(rows)) + np.repeat(starts[wanted] - firsts, chosen)].astype(np.int64)
    running = np.cumsum(taken)
    return rows, running - np.repeat(running[firsts] - taken[firsts], chosen)
