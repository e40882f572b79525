"""A segment's postings as flat arrays, written beside whoosh's files and read memory-mapped.

Reading a term through whoosh's codec unpickles and decompresses each block
of 128 postings and decodes its ids in Python: most of a new query's time.
When kb writes a segment it holds the postings grouped by term already
(:mod:`kb.engine.pool`), so it also writes them here, one file per segment
(``<segment>.kbp``): a sorted term table and, per term, its document numbers,
weights, position counts and positions, each packed in the narrowest integer
that holds it. A term's postings are then a few slices of a memory map.

The file is whoosh's in all but format: it is named after its segment, so
whoosh removes it with the segment after a merge, and kb's sums cover it.
A segment without one (an older index), or whose file does not read as one,
is read through whoosh's codec, as before.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), the header
(JSON: file size, and per field its term count and where its arrays start),
then per field, each 8-byte aligned:

- ``terms``: the terms' bytes end to end, in byte order;
- ``term_ends``: uint32, where each term ends in ``terms``;
- ``starts``: uint64, where each term's data starts in ``data``;
- ``counts``: uint32, how many postings (documents) each term has;
- ``kinds``: uint16, how each term's arrays are packed (see ``_kind``);
- ``data``: per term, document deltas, then weights, then position
  counts, then position deltas (each absent where the kind says so).
"""

from __future__ import annotations

import json
import mmap
import pickle
from bisect import bisect_left
from pathlib import Path
from typing import Any, Iterable

import numpy as np

MAGIC = b"KBPOSTS1"
EXTENSION = ".kbp"
ALIGN = 8
ARRAYS = ("terms", "term_ends", "starts", "counts", "kinds", "data")
# width codes, two bits each in a term's kind: 0 absent, then 1, 2 or 4 bytes
_WIDTHS = (0, 1, 2, 4)
_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32}
# a term's weights: all 1, unsigned integers of a width, float32, or its position counts
ONES, FLOAT, AS_COUNTS = 0, 4, 5
_INT_SIZE = 4  # whoosh's positions value: a uint32 count, then the pickled deltas


def sidecar_name(segment: Any) -> str:
    """The sidecar's file name of a whoosh segment."""
    return segment.make_filename(EXTENSION)


def _width(top: int) -> int:
    """The width code of the narrowest unsigned integer that holds ``top``."""
    return 1 if top < 1 << 8 else 2 if top < 1 << 16 else 3


def _kind(doc_width: int, weights: int, count_width: int, pos_width: int) -> int:
    return doc_width | weights << 2 | count_width << 5 | pos_width << 7


# -- writing ----------------------------------------------------------------


class _FieldArrays:
    """One field's terms and packed postings, in term order."""

    def __init__(self, positions: bool) -> None:
        self.positions = positions
        self.terms: list[bytes] = []
        self.counts: list[int] = []
        self.kinds: list[int] = []
        self.chunks: list[bytes] = []

    def add(self, term: bytes, docs: list, weights: list, values: list) -> None:
        docs_a = np.array(docs, dtype=np.int64)
        deltas = np.diff(docs_a, prepend=0)
        doc_width = _width(int(deltas.max()))
        parts = [deltas.astype(_UINT[_WIDTHS[doc_width]]).tobytes()]
        counts = None
        pos_width = 0
        if self.positions:
            lists = [pickle.loads(v[_INT_SIZE:]) if v else [] for v in values]
            counts = np.fromiter(map(len, lists), np.int64, len(lists))
            flat = np.fromiter((d for found in lists for d in found), np.int64,
                               int(counts.sum()))
            pos_width = _width(int(flat.max())) if len(flat) else 0
        weights_a = np.array(weights, dtype=np.float64)
        if counts is not None and np.array_equal(weights_a, counts):
            weight_kind = AS_COUNTS
        elif (weights_a == 1).all():
            weight_kind = ONES
        elif (weights_a == np.floor(weights_a)).all() and (weights_a >= 0).all() \
                and weights_a.max() < 1 << 32:
            weight_kind = _width(int(weights_a.max()))
            parts.append(weights_a.astype(_UINT[_WIDTHS[weight_kind]]).tobytes())
        else:  # whoosh keeps weights as float32: so does this
            weight_kind = FLOAT
            parts.append(weights_a.astype(np.float32).tobytes())
        count_width = 0
        if counts is not None and not (counts == 1).all():
            count_width = _width(int(counts.max()))
            parts.append(counts.astype(_UINT[_WIDTHS[count_width]]).tobytes())
        if pos_width:
            parts.append(flat.astype(_UINT[_WIDTHS[pos_width]]).tobytes())
        self.terms.append(term)
        self.counts.append(len(docs))
        self.kinds.append(_kind(doc_width, weight_kind, count_width, pos_width))
        self.chunks.append(b"".join(parts))

    def arrays(self) -> dict[str, bytes]:
        starts = np.zeros(len(self.chunks), np.uint64)
        if self.chunks:
            np.cumsum([len(c) for c in self.chunks[:-1]], out=starts[1:])
        return {
            "terms": b"".join(self.terms),
            "term_ends": np.cumsum([len(t) for t in self.terms], dtype=np.uint64)
            .astype(np.uint32).tobytes(),
            "starts": starts.tobytes(),
            "counts": np.array(self.counts, np.uint32).tobytes(),
            "kinds": np.array(self.kinds, np.uint16).tobytes(),
            "data": b"".join(self.chunks),
        }


class SidecarWriter:
    """Collects a segment's postings term by term, in whoosh's order, and writes them."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._fields: dict[str, _FieldArrays] = {}

    def start_field(self, fieldname: str) -> None:
        """Start a field: its terms follow, in order."""
        fmt = self._schema[fieldname].format
        self._fields[fieldname] = _FieldArrays(bool(fmt and fmt.supports("positions")))
        self._field = self._fields[fieldname]

    def add_term(self, term: bytes, docs: list, weights: list, values: list) -> None:
        """Add a term's postings: document numbers ascending, weights, whoosh's value bytes."""
        self._field.add(term, docs, weights, values)

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


class _FieldReader:
    """One field's term table and postings, as views of the file's map."""

    __slots__ = ("terms", "ends", "starts", "counts", "kinds", "data", "size")

    def __init__(self, buffer: Any, base: int, where: dict) -> None:
        def view(name, dtype):
            offset, length = where[name]
            if base + offset + length > len(buffer):
                raise ValueError(f"{name} runs past the end of the file")
            return np.frombuffer(buffer, dtype, length // np.dtype(dtype).itemsize,
                                 base + offset)

        self.size = int(where["count"])
        self.terms = view("terms", np.uint8)
        # memoryviews index faster than arrays, one item at a time
        self.ends = memoryview(view("term_ends", np.uint32)).cast("B").cast("I")
        self.starts = view("starts", np.uint64)
        self.counts = view("counts", np.uint32)
        self.kinds = view("kinds", np.uint16)
        self.data = view("data", np.uint8)
        if not (len(self.ends) == len(self.starts) == len(self.counts) == len(self.kinds)
                == self.size):
            raise ValueError("the term table's arrays differ in length")
        if self.size and self.ends[-1] != len(self.terms):
            raise ValueError("the terms do not end where the table says")

    def term(self, i: int) -> bytes:
        """The bytes of term number ``i``."""
        return self.terms[self.ends[i - 1] if i else 0:self.ends[i]].tobytes()

    def find(self, term: bytes) -> int:
        """The number of ``term``, or -1."""
        i = bisect_left(_Terms(self), term)
        return i if i < self.size and self.term(i) == term else -1

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
    """The postings of one segment, read from its sidecar file."""

    def __init__(self, buffer: Any) -> None:
        self._buffer = buffer
        if len(buffer) < len(MAGIC) + 16 or buffer[:len(MAGIC)] != MAGIC:
            raise ValueError("not a postings file")
        if int.from_bytes(buffer[-8:], "little") != len(buffer) - 8:
            raise ValueError("cut or grown")
        length = int.from_bytes(buffer[len(MAGIC):len(MAGIC) + 8], "little")
        base = len(MAGIC) + 8 + length
        header = json.loads(bytes(buffer[len(MAGIC) + 8:base]))
        self._fields = {name: _FieldReader(buffer, base, where)
                        for name, where in header["fields"].items()}

    @classmethod
    def open(cls, path: Path) -> "Sidecar | None":
        """The sidecar at ``path``, or None when there is none or it does not read as one."""
        try:
            with open(path, "rb") as fp:
                buffer = mmap.mmap(fp.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, or empty (mmap cannot map 0 bytes)
            return None
        try:
            return cls(buffer)
        except (ValueError, KeyError, TypeError, IndexError):
            buffer.close()
            return None

    def close(self) -> None:
        """Let go of the file's map (arrays handed out are copies, never views of it)."""
        for field in self._fields.values():
            field.ends.release()
        self._fields = {}
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

    def postings(self, fieldname: str, number: int, positions: bool = False
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Documents (int64, the segment's numbers), weights (float64) and, when asked and
        held, position counts per document (int64) and positions end to end (int64)."""
        field = self._fields[fieldname]
        n = int(field.counts[number])
        kind = int(field.kinds[number])
        at = int(field.starts[number])
        data = field.data
        doc_width = _WIDTHS[kind & 3]
        end = at + n * doc_width
        if end > len(data):
            raise ValueError(f"the postings of a {fieldname} term run past the end of the file")
        docs = np.cumsum(data[at:end].view(_UINT[doc_width]), dtype=np.int64)
        at = end
        weight_kind = (kind >> 2) & 7
        count_width = _WIDTHS[(kind >> 5) & 3]
        pos_width = _WIDTHS[(kind >> 7) & 3]
        weights: Any = None
        if weight_kind == ONES:
            weights = np.ones(n)
        elif weight_kind == FLOAT:
            end = at + 4 * n
            weights = data[at:end].view(np.float32).astype(np.float64)
            at = end
        elif weight_kind != AS_COUNTS:
            width = _WIDTHS[weight_kind]
            end = at + width * n
            weights = data[at:end].view(_UINT[width]).astype(np.float64)
            at = end
        counts: Any = None
        if count_width:
            end = at + count_width * n
            counts = data[at:end].view(_UINT[count_width]).astype(np.int64)
            at = end
        elif pos_width or weight_kind == AS_COUNTS:
            counts = np.ones(n, np.int64)
        if weights is None:
            weights = counts.astype(np.float64)
        if not positions or counts is None:  # not asked, or a field without positions
            return docs, weights, None, None
        total = int(counts.sum())
        if not total:
            return docs, weights, counts, np.empty(0, np.int64)
        deltas = data[at:at + total * pos_width].view(_UINT[pos_width])
        # whoosh's deltas restart at each document: a running sum, less each
        # document's sum before it
        running = np.cumsum(deltas, dtype=np.int64)
        # (a document without positions repeats its first zero times: any index will do)
        firsts = np.minimum(np.cumsum(counts) - counts, total - 1)
        before = np.repeat(running[firsts] - deltas[firsts], counts)
        return docs, weights, counts, running - before
