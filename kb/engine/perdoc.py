"""A new segment's per-document files (stored fields, field lengths, columns), in whoosh 3's format.

Whoosh's per-document writer passes each value of each document through a
column writer object of its own (a length byte per text field, each column
value, the stored fields), each a few calls deep, into a temporary compound
file whose parts are copied into the segment's files when it closes. Here a
document's values are kept in plain lists, and each column's file is written
at once when the segment is written: the same bytes (the tests compare them
with the files whoosh writes). Stored fields are pickled and compressed as
each document ends, as whoosh does, and written straight into their file, so
that they are not held. Columns of kinds not known here are written by
whoosh's own column writers, from the values kept.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections import defaultdict
from io import BytesIO
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, STORED_COLUMN, W3Codec, W3PerDocWriter,
                                  _lenfield)
from whoosh.columns import CompressedBytesColumn, NumericColumn, PickleColumn, VarBytesColumn
from whoosh.filedb.structfile import StructFile
from whoosh.util.numeric import length_to_byte

STORED = "_stored"  # the stored fields' column (W3PerDocWriter's)
STORED_HELD = 1 << 20  # bytes of stored fields held before they are written


class _Column:
    """One column's values, by document (ascending)."""

    __slots__ = ("column", "docs", "values")

    def __init__(self, column: Any) -> None:
        self.column = column
        self.docs: list[int] = []
        self.values: list[Any] = []


class PerDocFiles:
    """What whoosh's writer asks of W3PerDocWriter, for a schema without vectors."""

    def __init__(self, storage: Any, segment: Any) -> None:
        self._storage = storage
        self._segment = segment
        self._columns: dict[str, _Column] = {}
        self._fieldlengths: defaultdict[str, int] = defaultdict(int)
        self._doccount = 0
        self._docnum = -1
        self._storedfields: dict[str, Any] = {}
        self._added_lengths: list[tuple[str, int]] = []  # to take back if a document is cancelled
        self._indoc = False
        self.is_closed = False
        # the stored fields go straight into their file (data first, then lengths)
        self._stored_file = storage.create_file(W3Codec.column_filename(segment, STORED))
        self._stored_lengths: list[int] = []  # by document; 0: none
        self._stored_data: list[bytes] = []  # written a megabyte at a time
        self._stored_held = 0
        inner = STORED_COLUMN._child
        self._level = inner._level
        self._compress = __import__(inner._module).compress

    def start_doc(self, docnum: int) -> None:
        if self._indoc:
            raise RuntimeError("Called start_doc when already in a doc")
        if docnum != self._doccount:
            raise RuntimeError(f"Called start_doc({docnum!r}) was expecting {self._doccount!r}")
        self._docnum = docnum
        self._doccount += 1
        self._storedfields = {}
        self._added_lengths = []
        self._indoc = True

    def add_field(self, fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
        if value is not None:
            self._storedfields[fieldname] = value
        if length:
            self.add_column_value(_lenfield(fieldname), LENGTHS_COLUMN, length_to_byte(length))
            self._fieldlengths[fieldname] += length
            self._added_lengths.append((fieldname, length))

    def add_column_value(self, fieldname: str, column: Any, value: Any) -> None:
        found = self._columns.get(fieldname)
        if found is None:
            found = self._columns[fieldname] = _Column(column)
        found.docs.append(self._docnum)
        found.values.append(value)

    def add_vector_items(self, fieldname: str, fieldobj: Any, items: Any) -> None:
        raise NotImplementedError("segments with vectors are written by whoosh")

    add_vector_matcher = add_vector_items

    def finish_doc(self) -> None:
        stored = self._storedfields
        if stored:  # whoosh's PickleColumn(CompressedBytesColumn()) value
            data = self._compress(dumps(stored, 2), self._level)
            self._stored_data.append(data)
            self._stored_held += len(data)
            if self._stored_held >= STORED_HELD:
                self._write_stored()
            self._stored_lengths += [0] * (self._docnum - len(self._stored_lengths))
            self._stored_lengths.append(len(data))
            self._storedfields = {}
        self._indoc = False

    def _write_stored(self) -> None:
        self._stored_file.write(b"".join(self._stored_data))
        self._stored_data, self._stored_held = [], 0

    def cancel_doc(self) -> None:
        """Forget the document being added (its values and lengths)."""
        docnum = self._docnum
        for found in self._columns.values():
            while found.docs and found.docs[-1] == docnum:
                found.docs.pop()
                found.values.pop()
        for fieldname, length in self._added_lengths:
            self._fieldlengths[fieldname] -= length
        self._doccount -= 1
        self._indoc = False

    def close(self) -> None:
        """Write every column's file, and the segment's total field lengths."""
        if self.is_closed:
            return
        if self._indoc:
            self.finish_doc()
        self._segment._fieldlengths = self._fieldlengths
        doccount = self._doccount
        self._write_stored()
        stored = self._stored_file
        # CompressedBytesColumn's writer is a VarBytesColumn's with its defaults
        stored.write(_var_bytes_tail(self._stored_lengths, doccount, VarBytesColumn()))
        stored.close()
        for fieldname, found in self._columns.items():
            data = column_bytes(found.column, found.docs, found.values, doccount)
            out = self._storage.create_file(W3Codec.column_filename(self._segment, fieldname))
            try:
                out.write(data)
            finally:
                out.close()
        self._columns = {}
        self.is_closed = True


def column_bytes(column: Any, docs: list[int], values: list[Any], doccount: int) -> bytes:
    """The file of a whoosh column of ``doccount`` documents whose values are ``values``,
    those of ``docs`` (ascending), as its writer writes it."""
    kind = type(column)
    if kind is NumericColumn:
        return _numeric(column, docs, values)
    if kind is VarBytesColumn:
        lengths = [0] * (docs[-1] + 1 if docs else 0)
        for doc, value in zip(docs, values):
            lengths[doc] = len(value)
        tail = _var_bytes_tail(lengths, doccount, column)
        return b"".join(values) + tail
    return whoosh_column_bytes(column, docs, values, doccount)  # any other kind


def whoosh_column_bytes(column: Any, docs: list[int], values: list[Any], doccount: int) -> bytes:
    """What whoosh's own writer of ``column`` writes, given the values."""
    out = BytesIO()
    writer = column.writer(StructFile(out))
    for doc, value in zip(docs, values):
        writer.add(doc, value)
    writer.finish(doccount)
    return out.getvalue()


def _numeric(column: Any, docs: list[int], values: list[Any]) -> bytes:
    """A NumericColumn's file: each document's packed value up to the last one not the default
    (the writer skips the default, and fills what it skipped when a value follows)."""
    pack = struct.Struct("!" + column._typecode).pack
    default = column._default
    filler = pack(default)
    parts: list[bytes] = []
    count = 0
    for doc, value in zip(docs, values):
        if value == default:
            continue
        if doc > count:
            parts.append(filler * (doc - count))
        parts.append(pack(value))
        count = doc + 1
    return b"".join(parts)


def _var_bytes_tail(lengths: list[int], doccount: int, column: Any) -> bytes:
    """What a VarBytesColumn's writer writes after the values: the lengths of ``doccount``
    documents (those past ``lengths`` have none), in the narrowest array that holds them
    (whoosh's GrowableArray), big-endian; past the column's cutoff, the offsets likewise;
    the type of the lengths; past the cutoff, that of the offsets and "X"."""
    allow, cutoff = column.allow_offsets, column.write_offsets_cutoff
    added = len(lengths)
    filled = lengths + [0] * (doccount - added)
    lengths_array = _narrowest(filled)
    parts = [_big_endian(lengths_array)]
    code = lengths_array.typecode
    if allow and doccount > cutoff:
        offsets: list[int] = []
        base = 0
        for length in lengths:
            offsets.append(base)
            base += length
        offsets_array = _narrowest(offsets)
        if doccount > added:
            # the writer keeps the offsets array it had before filling the documents past the
            # last value: if filling widened it, those are left out
            if _fits(base, offsets_array.typecode):
                offsets_array.extend([base] * (doccount - added))
        parts += [_big_endian(offsets_array), code.encode("ascii"),
                  offsets_array.typecode.encode("ascii"), b"X"]
        return b"".join(parts)
    parts.append(code.encode("ascii"))
    return b"".join(parts)


_LIMITS = (("B", 1 << 8), ("H", 1 << 16), ("i", 1 << 31), ("I", 1 << 32))


def _fits(value: int, code: str) -> bool:
    return 0 <= value < dict(_LIMITS)[code]


def _narrowest(values: list[int]) -> array:
    """``values`` in the array GrowableArray(allow_longs=False) ends up with."""
    top = max(values, default=0)
    for code, limit in _LIMITS:
        if top < limit:
            return array(code, values)
    raise OverflowError(f"{top!r} is too big to fit in an array")


def _big_endian(found: array) -> bytes:
    if sys.byteorder == "big":
        return found.tobytes()
    swapped = array(found.typecode, found)
    swapped.byteswap()
    return swapped.tobytes()


def fits(perdocwriter: Any) -> bool:
    """Whether a segment writer's per-document writer is whoosh's own, writing what
    :class:`PerDocFiles` writes: stored fields compressed in a PickleColumn."""
    stored = STORED_COLUMN
    return (type(stored) is PickleColumn and type(stored._child) is CompressedBytesColumn
            and type(perdocwriter) is W3PerDocWriter)


def replace(writer: Any) -> None:
    """Give whoosh's segment writer ``writer`` a :class:`PerDocFiles` in place of its own
    per-document writer, whose temporary file is let go of unwritten."""
    old = writer.perdocwriter
    for _ in old._cols._readback():  # closes and deletes its temporary file
        pass
    writer.perdocwriter = PerDocFiles(writer.storage, writer.newsegment)
