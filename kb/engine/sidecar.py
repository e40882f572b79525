"""A segment's postings as flat arrays, written beside whoosh's files and read memory-mapped.

Reading a term through whoosh's codec unpickles and decompresses each block
of 128 postings and decodes its ids in Python: most of a new query's time.
When kb writes a segment it holds the postings grouped by term already
(:mod:`kb.engine.pool`), so it also writes them here (:mod:`kb.engine.sidecar_writer`),
one file per segment (``<segment>.kbp``): a sorted term table and, per term, its document numbers
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
import mmap
import os
import weakref
from bisect import bisect_left
from pickle import loads
from pathlib import Path
from typing import Any, Iterable

import numpy as np

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
